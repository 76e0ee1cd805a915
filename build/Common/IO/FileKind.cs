using System.Runtime.InteropServices;

namespace CloudAge.Common.IO;

/// <summary>What a directory entry is, read without following a symlink and without opening the entry.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    Symlink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Other,
}

/// <summary>
/// The type of a directory entry from lstat/statx. .NET has no public API that tells a FIFO, a socket or a device
/// from a regular file without opening it, and opening a FIFO for reading blocks until a writer appears, so the
/// type is read from the kernel here (statx on Linux, lstat on macOS: both fixed layouts for the one field read).
/// Mono.Unix would do it too, but it is unmaintained since 2021 and ships its own native library per platform.
/// </summary>
public static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;

    public static FileKind Of(string path)
    {
        try
        {
            return FromKernel(path);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without statx (glibc before 2.28): the type is then all .NET can tell, FIFOs included as files.
            return Fallback(path);
        }
    }

    private static FileKind FromKernel(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            // struct statx: stx_mode (u16) is at byte 28 on every architecture.
            Span<byte> buffer = stackalloc byte[256];
            return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, ref MemoryMarshal.GetReference(buffer)) == 0
                ? FromMode(BitConverter.ToUInt16(buffer[28..30]))
                : Fallback(path);
        }

        if (OperatingSystem.IsMacOS())
        {
            // struct stat on macOS: st_dev (i32) then st_mode (u16) at byte 4, with and without 64-bit inodes.
            // On x64 the plain lstat symbol is the legacy 32-bit-inode one; lstat$INODE64 is the layout above.
            Span<byte> buffer = stackalloc byte[256];
            var result = RuntimeInformation.ProcessArchitecture == Architecture.X64
                ? LStatInode64(path, ref MemoryMarshal.GetReference(buffer))
                : LStat(path, ref MemoryMarshal.GetReference(buffer));
            return result == 0 ? FromMode(BitConverter.ToUInt16(buffer[4..6])) : Fallback(path);
        }

        // Windows has no FIFOs or device files in the file system; symlinks and junctions are reparse points.
        return Fallback(path);
    }

    private static FileKind FromMode(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Symlink,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        _ => FileKind.Other,
    };

    private static FileKind Fallback(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null)
        {
            return FileKind.Missing;
        }

        return info.LinkTarget is not null ? FileKind.Symlink
            : (info.Attributes & FileAttributes.Directory) != 0 ? FileKind.Directory
            : (info.Attributes & FileAttributes.Device) != 0 ? FileKind.CharacterDevice
            : FileKind.Regular;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "lstat$INODE64", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStatInode64(string path, ref byte buffer);

    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Directory => "a directory",
        FileKind.Symlink => "a symbolic link",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };
}
