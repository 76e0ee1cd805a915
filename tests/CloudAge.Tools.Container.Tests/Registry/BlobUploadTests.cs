using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Container.Oci;
using CloudAge.Tools.Container.Registry;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Registry;

/// <summary>
/// A blob upload whose PATCH fails, against the real distribution 2.8 registry behind <see cref="FaultProxy"/>: the
/// registry keeps what a cut PATCH delivered, so only an upload in a new session can succeed.
/// </summary>
public sealed class BlobUploadTests
{
    private const Needs Prerequisites = Needs.Registry | Needs.Htpasswd;
    private const string Repository = "team/app";

    private readonly Log _log = new();

    private RegistryClient Client(RegistryServer registry, FaultProxy proxy) =>
        new(proxy.Address, new RegistryCredentials(RegistryServer.User, registry.Password), new SecretMasker(), _log.Write,
            new RegistryClientOptions { Retry = PushFixture.FastRetries, StallTimeout = TimeSpan.FromSeconds(10) });

    private static byte[] Blob()
    {
        var blob = new byte[3 * FaultProxy.CutAfter];
        Random.Shared.NextBytes(blob);
        return blob;
    }

    private static bool Patch(Microsoft.AspNetCore.Http.HttpRequest request) => request.Method == "PATCH";

    [IntegrationFact(Prerequisites)]
    public async Task An_upload_cut_halfway_is_sent_again_in_a_new_session_and_the_registry_holds_the_blob()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(registry.Address, Patch, Fault.Cut);
        using var client = Client(registry, proxy);
        var blob = Blob();
        var digest = OciDescriptor.Sha256(blob);

        await client.UploadBlobAsync(Repository, digest, () => new MemoryStream(blob));

        Assert.Equal(1, proxy.FailuresServed);
        var patches = proxy.Seen.Where(r => r.StartsWith("PATCH ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, patches.Count);
        Assert.NotEqual(patches[0], patches[1]);
        Assert.True(await client.BlobExistsAsync(Repository, digest));
        Assert.Equal(blob, await client.GetBlobAsync(Repository, digest));
        Assert.Contains(_log.Lines, l => l.StartsWith($"Registry {proxy.Address}, the upload of blob {digest} (http://{proxy.Address}/v2/{Repository}/blobs/uploads/): try 1 of 3 failed", StringComparison.Ordinal));
    }

    [IntegrationFact(Prerequisites)]
    public async Task An_upload_that_fails_every_try_names_the_blob_the_registry_and_its_answer()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(registry.Address, Patch, failures: PushFixture.FastRetries.MaxAttempts);
        using var client = Client(registry, proxy);
        var blob = Blob();
        var digest = OciDescriptor.Sha256(blob);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.UploadBlobAsync(Repository, digest, () => new MemoryStream(blob)));

        Assert.StartsWith($"Registry {proxy.Address} answered the upload of blob {digest} (PATCH http://{proxy.Address}/v2/{Repository}/blobs/uploads/", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(") with HTTP 503 Service Unavailable: UNAVAILABLE: injected by the test proxy, in each of 3 tries; it is failing or overloaded, so try again later.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("_state", error.Message, StringComparison.Ordinal);
        // One session per try.
        Assert.Equal(PushFixture.FastRetries.MaxAttempts, proxy.Seen.Where(r => r.StartsWith("PATCH ", StringComparison.Ordinal)).Distinct().Count());
        Assert.False(await client.BlobExistsAsync(Repository, digest));
    }
}
