using CloudAge.Tools.GitOps.Git;

namespace CloudAge.Tools.GitOps.Tests.Bump;

/// <summary>Which of git's network errors are tried again: git's own wording (remote-curl.c, http.c) for each case.</summary>
public sealed class GitTransientTests
{
    [Theory]
    // A dropped connection, a server error, a name that did not resolve: another try may succeed.
    [InlineData("error: RPC failed; curl 56 Recv failure: Connection reset by peer\nsend-pack: unexpected disconnect while reading sideband packet\nfatal: the remote end hung up unexpectedly", true)]
    [InlineData("error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500\nsend-pack: unexpected disconnect while reading sideband packet\nfatal: the remote end hung up unexpectedly", true)]
    [InlineData("fatal: unable to access 'https://github.com/o/r/': Could not resolve host: github.com", true)]
    [InlineData("error: RPC failed; HTTP 429 curl 22 The requested URL returned error: 429\nsend-pack: unexpected disconnect while reading sideband packet", true)]
    // The host answered the upload with a refusal: trying again only repeats it (GitHub's 403 for a read-only token).
    [InlineData("error: RPC failed; HTTP 403 curl 22 The requested URL returned error: 403\nsend-pack: unexpected disconnect while reading sideband packet\nfatal: the remote end hung up unexpectedly", false)]
    [InlineData("error: RPC failed; HTTP 400 curl 22 The requested URL returned error: 400\nsend-pack: unexpected disconnect while reading sideband packet", false)]
    [InlineData("error: RPC failed; HTTP 413 curl 22 The requested URL returned error: 413\nsend-pack: unexpected disconnect while reading sideband packet", false)]
    [InlineData("remote: Permission to o/r.git denied to github-actions[bot].\nfatal: unable to access 'https://github.com/o/r/': The requested URL returned error: 403", false)]
    public void A_refusal_is_not_retried_as_a_network_error(string standardError, bool transient) =>
        Assert.Equal(transient, GitCommand.IsTransient(standardError));
}
