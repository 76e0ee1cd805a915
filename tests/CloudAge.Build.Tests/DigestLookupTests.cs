using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudAge.Build.Support;
using CloudAge.Build.Tests.Fixtures;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Signing;
using CloudAge.Tools.Container.Registry;

namespace CloudAge.Build.Tests;

/// <summary>BumpTag's digest lookup against moto's ECR API and the real CNCF registry (with htpasswd auth), on loopback.</summary>
public sealed class DigestLookupTests(PipelineServers servers) : IClassFixture<PipelineServers>
{
    private readonly List<string> _log = [];

    private Uri Moto => new($"http://127.0.0.1:{servers.MotoPort}");
    private static AwsSession Session => AwsSession.FromKeys("AKIAIOSFODNN7EXAMPLE", "moto-secret-key-d41d8cd98f00", null, "us-east-1");

    private ImageDigestLookup Lookup(int? registryPort = null) => new(
        _ => Task.FromResult(new EcrClient(Session, new SecretMasker(), _log.Add, new EcrClientOptions { Endpoint = Moto, MaxAttempts = 2 })),
        host => new RegistryClient(host, new RegistryCredentials("AWS", PipelineServers.EcrPassword), new SecretMasker(), _log.Add),
        _log.Add);

    private static string Manifest(string seed) => JsonSerializer.Serialize(new
    {
        schemaVersion = 2,
        mediaType = "application/vnd.docker.distribution.manifest.v2+json",
        config = new { mediaType = "application/vnd.docker.container.image.v1+json", size = seed.Length, digest = Sha256(Encoding.UTF8.GetBytes(seed)) },
        layers = Array.Empty<object>(),
    });

    private static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    [IntegrationFact(Needs.Moto | Needs.Registry | Needs.Htpasswd | Needs.Docker)]
    public async Task The_digest_comes_from_ECR_DescribeImages_and_a_missing_tag_is_refused_naming_it()
    {
        var repository = "cloudage-digest-" + Guid.NewGuid().ToString("N")[..8];
        using (var ecr = new EcrClient(Session, new SecretMasker(), _ => { }, new EcrClientOptions { Endpoint = Moto }))
            await ecr.EnsureRepositoryAsync(repository, EcrTagMutability.Immutable, scanOnPush: false);
        var manifest = Manifest("config-" + repository);
        await PutImageAsync(repository, "sha-abc1234", manifest);
        var reference = $"123456789012.dkr.ecr.us-east-1.amazonaws.com/{repository}";

        var digest = await Lookup().ResolveAsync(reference, "sha-abc1234", ecr: true, dryRun: false, default);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => Lookup().ResolveAsync(reference, "sha-0000000", ecr: true, dryRun: false, default));

        // Compared with what another client (the AWS CLI, botocore) reads from moto for the tag.
        var (exit, cli) = ProcessHelper.Run("aws", $"--endpoint-url {Moto} --region us-east-1 ecr describe-images --repository-name {repository} " +
            "--image-ids imageTag=sha-abc1234 --query imageDetails[0].imageDigest --output text", Path.GetTempPath(), new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = "moto-secret-key-d41d8cd98f00",
        });
        Assert.True(exit == 0, cli);
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
        Assert.Equal(cli.Trim(), digest);
        Assert.Contains("Image tag 'sha-0000000' is not in repository", missing.Message);
        Assert.Contains("nothing was committed", missing.Message);
    }

    [IntegrationFact(Needs.Registry | Needs.Htpasswd | Needs.Moto | Needs.Docker)]
    public async Task The_digest_comes_from_a_manifest_HEAD_on_an_OCI_registry_and_a_missing_tag_is_refused()
    {
        var path = "team/cloudage-" + Guid.NewGuid().ToString("N")[..8];
        var manifest = await PushToRegistryAsync(path, "sha-abc1234");
        var reference = $"127.0.0.1:{servers.RegistryPort}/{path}";

        var digest = await Lookup().ResolveAsync(reference, "sha-abc1234", ecr: false, dryRun: false, default);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => Lookup().ResolveAsync(reference, "sha-0000000", ecr: false, dryRun: false, default));

        Assert.Equal(Sha256(manifest), digest);
        Assert.Contains("'sha-0000000'", missing.Message);
        Assert.Contains($"HEAD 127.0.0.1:{servers.RegistryPort}/v2/{path}/manifests/sha-0000000", missing.Message);
        Assert.DoesNotContain(_log, l => l.Contains(PipelineServers.EcrPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_registry_is_a_warning_under_dry_run_and_an_error_otherwise()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var reference = $"127.0.0.1:{port}/cloudage";
        var lookup = new ImageDigestLookup(_ => throw new InvalidOperationException("no ECR here"),
            host => new RegistryClient(host, null, new SecretMasker(), _log.Add, new RegistryClientOptions { Retry = new CloudAge.Common.Resilience.RetryPolicy { MaxAttempts = 1 } }),
            _log.Add);

        var dryRun = await lookup.ResolveAsync(reference, "sha-abc1234", ecr: false, dryRun: true, default);
        await Assert.ThrowsAnyAsync<Exception>(() => lookup.ResolveAsync(reference, "sha-abc1234", ecr: false, dryRun: false, default));

        Assert.Null(dryRun);
        Assert.Contains(_log, l => l.StartsWith($"warning: could not ask 127.0.0.1:{port} for the digest of {reference}:sha-abc1234", StringComparison.Ordinal));
    }

    private async Task PutImageAsync(string repository, string tag, string manifest)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { repositoryName = repository, imageTag = tag, imageManifest = manifest });
        using var request = new HttpRequestMessage(HttpMethod.Post, Moto) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.PutImage");
        await SigV4RequestSigner.SignAsync(request, await Session.Credentials.GetCredentialsAsync(), "us-east-1", "ecr", DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads a config blob (monolithic POST) and a manifest naming it, as a push does (FACTS.md 4).</summary>
    private async Task<byte[]> PushToRegistryAsync(string path, string tag)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{servers.RegistryPort}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{PipelineServers.EcrPassword}")));
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        using (var start = await http.PostAsync($"v2/{path}/blobs/uploads/", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var location = start.Headers.Location!.ToString();
            var upload = location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Sha256(config);
            using var blob = await http.PutAsync(upload, new ByteArrayContent(config));
            Assert.Equal(HttpStatusCode.Created, blob.StatusCode);
        }
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.docker.distribution.manifest.v2+json",
            config = new { mediaType = "application/vnd.docker.container.image.v1+json", size = config.Length, digest = Sha256(config) },
            layers = Array.Empty<object>(),
        }));
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.docker.distribution.manifest.v2+json");
        using var put = await http.PutAsync($"v2/{path}/manifests/{tag}", content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        return manifest;
    }
}
