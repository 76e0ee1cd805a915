using System.Globalization;
using System.Runtime.InteropServices;

namespace CloudAge.Common.Processes;

/// <summary>
/// A running program and the processes it started, seen at one moment, to stop them together as a terminal's Ctrl+C
/// does (the kernel sends SIGINT to the whole foreground process group). Signalling only the program would leave its
/// children running on their own once it exits: a <c>git push</c> to a local remote runs <c>git receive-pack</c> and
/// the remote's hooks, which would go on and update the branch after the build had reported the push stopped.
/// </summary>
/// <remarks>
/// Written here because neither .NET nor CliWrap exposes a process's children or a signal other than SIGKILL
/// (<c>Process.Kill(entireProcessTree)</c> walks the tree only while its root lives). The tree is read from Linux's
/// <c>/proc/PID/task/TID/children</c> (proc(5)); where that cannot be read, <see cref="Snapshot"/> returns null.
/// </remarks>
internal sealed partial class ProcessTree
{
    private const int SigKill = 9;
    private const int SigInt = 2;

    private readonly int[] _members;

    private ProcessTree(int[] members) => _members = members;

    /// <summary>The program and its descendants now, or null where the process table cannot be read this way.</summary>
    public static ProcessTree? Snapshot(int root)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists($"/proc/{root}/task"))
            return null;
        var members = new List<int>();
        var pending = new Stack<int>([root]);
        while (pending.Count > 0 && members.Count < 4096)
        {
            var pid = pending.Pop();
            if (members.Contains(pid))
                continue;
            members.Add(pid);
            foreach (var child in ChildrenOf(pid))
                pending.Push(child);
        }
        return new ProcessTree([.. members]);
    }

    /// <summary>SIGINT to every member, children first, so none of them sees its parent vanish before its own signal.</summary>
    public void Interrupt()
    {
        for (var i = _members.Length - 1; i >= 0; i--)
            _ = Kill(_members[i], SigInt);
    }

    /// <summary>SIGKILL to every member still running. A member that has exited is not signalled: its process ID may
    /// already belong to another process.</summary>
    public void KillRemaining()
    {
        foreach (var pid in _members.Where(IsRunning))
            _ = Kill(pid, SigKill);
    }

    /// <summary>Whether any member still runs.</summary>
    public bool AnyAlive() => _members.Any(IsRunning);

    // Signal 0 checks without sending; a zombie (exited, not yet reaped) no longer runs.
    private static bool IsRunning(int pid) => Kill(pid, 0) == 0 && !IsZombie(pid);

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break; // exited meanwhile
        }
        foreach (var task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var field in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var child))
                    yield return child;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ..."; comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var end = stat.LastIndexOf(')');
            return end > 0 && end + 2 < stat.Length && stat[end + 2] == 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
