using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.GitOps.Tests.Fixtures;

/// <summary>
/// A bare remote in a temp folder, seeded with files, and a working clone of it; deleted on dispose.
/// Uses the real git CLI through the ProcessRunner.
/// </summary>
public sealed class GitSandbox : IAsyncDisposable
{
    public const string Branch = "main";

    private readonly ProcessRunner _runner = new(new SecretMasker(), _ => { });

    private readonly TempDirectory _directory = new();

    private GitSandbox()
    {
        Root = _directory.Path;
        Remote = Path.Combine(Root, "remote.git");
        Clone = Path.Combine(Root, "clone");
    }

    public string Root { get; }

    public string Remote { get; }

    public string Clone { get; }

    /// <summary>Creates the remote with one commit per entry of <paramref name="commits"/> (path to bytes as text), then clones it.</summary>
    public static async Task<GitSandbox> CreateAsync(params IReadOnlyDictionary<string, string>[] commits)
    {
        var sandbox = new GitSandbox();
        await sandbox.GitAsync(sandbox.Root, "init", "--quiet", "--bare", "-b", Branch, sandbox.Remote);
        var seed = await sandbox.CloneAsync("seed");
        foreach (var (files, index) in commits.Select((c, i) => (c, i)))
        {
            foreach (var (path, text) in files)
                WriteFile(seed, path, text);
            await sandbox.CommitAsync(seed, $"seed {index}");
        }
        await sandbox.GitAsync(seed, "push", "--quiet", "origin", "HEAD:refs/heads/" + Branch);
        await sandbox.GitAsync(sandbox.Root, "clone", "--quiet", sandbox.Remote, sandbox.Clone);
        return sandbox;
    }

    public async Task<string> CloneAsync(string name)
    {
        var path = Path.Combine(Root, name);
        await GitAsync(Root, "clone", "--quiet", Remote, path);
        return path;
    }

    /// <summary>Another writer: a fresh clone commits <paramref name="text"/> to <paramref name="path"/> and pushes; returns the commit.</summary>
    public async Task<string> PushChangeAsync(string path, string text, string message)
    {
        var writer = await CloneAsync("writer-" + Guid.NewGuid().ToString("N"));
        WriteFile(writer, path, text);
        await CommitAsync(writer, message);
        await GitAsync(writer, "push", "--quiet", "origin", "HEAD:refs/heads/" + Branch);
        return await GitAsync(writer, "rev-parse", "HEAD");
    }

    public async Task CommitAsync(string clone, string message)
    {
        await GitAsync(clone, "add", "--all");
        await GitAsync(clone, "-c", "user.name=Developer", "-c", "user.email=dev@example.com", "commit", "--quiet", "--allow-empty", "-m", message);
    }

    public Task<string> RemoteHeadAsync() => GitAsync(Remote, "rev-parse", Branch);

    /// <summary>A file of the remote branch byte for byte, read from a fresh clone (process output would be split into lines).</summary>
    public async Task<string> RemoteFileAsync(string path)
    {
        var check = await CloneAsync("check-" + Guid.NewGuid().ToString("N"));
        return await File.ReadAllTextAsync(Path.Combine(check, path));
    }

    public async Task<string> GitAsync(string directory, params string[] arguments) =>
        (await _runner.RunAsync(new ProcessSpec("git", arguments) { WorkingDirectory = directory, StreamOutput = false })).StandardOutput.Trim();

    /// <summary>
    /// Installs a hook in the working clone. post-commit runs before the push starts (git then refuses it
    /// client-side: fetch first); pre-push runs after git read the remote's refs (the remote refuses the ref update).
    /// </summary>
    public void InstallHook(string name, string script)
    {
        var path = Path.Combine(Clone, ".git", "hooks", name);
        File.WriteAllText(path, "#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\n" + script + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Installs a hook in the bare remote (pre-receive: what a git host runs before it accepts a push).</summary>
    public void InstallRemoteHook(string name, string script)
    {
        var path = Path.Combine(Remote, "hooks", name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static void WriteFile(string clone, string path, string text)
    {
        var full = Path.Combine(clone, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, new System.Text.UTF8Encoding(false).GetBytes(text));
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
