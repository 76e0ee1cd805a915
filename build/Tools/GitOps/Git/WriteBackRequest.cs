using CloudAge.Tools.GitOps.ImageBump;

namespace CloudAge.Tools.GitOps.Git;

/// <summary>The author and committer of write-back commits.</summary>
public sealed record GitIdentity(string Name, string Email)
{
    public static GitIdentity Bot { get; } = new("cloudage-bot", "cloudage-bot@users.noreply.github.com");
}

/// <summary>
/// Set <see cref="Image"/> in the manifests of the clone at <see cref="WorkingDirectory"/>, commit and push to
/// <see cref="Branch"/> of <see cref="Remote"/>.
/// </summary>
public sealed record WriteBackRequest(string WorkingDirectory, string Branch, ImageTarget Image)
{
    public string Remote { get; init; } = "origin";

    /// <summary>Folder under the clone searched for *.yaml/*.yml.</summary>
    public string ManifestFolder { get; init; } = "k8s";

    public GitIdentity Identity { get; init; } = GitIdentity.Bot;

    /// <summary>An HTTPS token (e.g. GITHUB_TOKEN); sent as an HTTP header through git's environment, never in the URL.</summary>
    public string? Token { get; init; }

    /// <summary>The user name paired with <see cref="Token"/> in Basic auth; GitHub accepts x-access-token.</summary>
    public string TokenUser { get; init; } = GitCredentials.DefaultTokenUser;

    /// <summary>The commit the image was built from (e.g. its org.opencontainers.image.revision label); else read from a sha-&lt;hex&gt; tag.</summary>
    public string? ImageCommit { get; init; }

    public bool AllowRollback { get; init; }

    /// <summary>Compute and print the diff; touch no file, ref or remote.</summary>
    public bool DryRun { get; init; }

    /// <summary>Attempts of fetch, edit, commit, push when the push is rejected because the branch moved.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first back-off between attempts; it doubles, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan CommandTimeout { get; init; } = GitNetwork.CommandTimeout;
}

public enum WriteBackOutcome
{
    Pushed,
    /// <summary>The manifests already hold the target reference; nothing was committed.</summary>
    AlreadyDeployed,
    DryRun,
}

/// <summary>What the write-back did; <see cref="Retries"/> counts pushes rejected because another writer moved the branch.</summary>
public sealed record WriteBackResult(
    WriteBackOutcome Outcome,
    IReadOnlyList<string> ChangedFiles,
    string? CommitSha,
    int Retries,
    IReadOnlyList<ImageChange> Changes,
    string Diff)
{
    /// <summary>The remote branch's head the attempt started from: for <see cref="WriteBackOutcome.AlreadyDeployed"/> the
    /// commit that already deploys the image (what Argo CD should be at). Null for a dry run.</summary>
    public string? RemoteHead { get; init; }
}

/// <summary>A write-back that cannot go on: a refused rollback, a dirty clone, a push git keeps rejecting.</summary>
public sealed class WriteBackException(string message, Exception? inner = null) : CloudAge.Common.Errors.ToolException(message, null, inner);
