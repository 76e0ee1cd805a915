namespace CloudAge.Tools.GitOps.Git;

/// <summary>How long git may talk to a remote: one command's time, and the tries of a command git says failed in the network.</summary>
public static class GitNetwork
{
    /// <summary>How long one git command may run (fetch, push, ls-remote); a command that runs out of it is not tried again.</summary>
    public static TimeSpan CommandTimeout { get; } = TimeSpan.FromMinutes(2);

    /// <summary>Tries of a command that talks to the remote when git reports a transient transport failure.</summary>
    public const int Attempts = 4;
}
