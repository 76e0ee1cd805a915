using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Tests.Fixtures;
using CloudAge.Testing;

namespace CloudAge.Tools.Aws.Tests.Ecr;

/// <summary>The ECR client against the real moto server.</summary>
[Collection(MotoServerGroup.Name)]
public sealed class EcrClientTests(MotoServer moto) : IAsyncLifetime
{
    private readonly LogCapture _log = new();
    private readonly string _name = "cloudage-" + Guid.NewGuid().ToString("N")[..8];
    private Uri _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private EcrClient Client(EcrClientOptions? options = null) =>
        new(MotoServer.Session(), _log.Masker, _log.Log, (options ?? new EcrClientOptions()) with { Endpoint = _endpoint });

    [IntegrationFact(Needs.Moto)]
    public async Task EnsureRepository_creates_a_missing_repository_with_the_requested_settings()
    {
        using var client = Client();

        var repository = await client.EnsureRepositoryAsync(_name, EcrTagMutability.Immutable, scanOnPush: true);

        Assert.Equal($"{MotoServer.AccountId}.dkr.ecr.{MotoServer.Region}.amazonaws.com/{_name}", repository.Uri);
        Assert.Equal(EcrTagMutability.Immutable, repository.TagMutability);
        Assert.True(repository.ScanOnPush);
        var described = Assert.Single(await client.DescribeRepositoriesAsync([_name]));
        Assert.Equal(repository, described);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task EnsureRepository_returns_an_existing_repository_and_leaves_its_settings()
    {
        using var client = Client();
        await client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: false);

        var repository = await client.EnsureRepositoryAsync(_name, EcrTagMutability.Immutable, scanOnPush: true);

        Assert.Equal(EcrTagMutability.Mutable, repository.TagMutability);
        Assert.Contains(_log.Lines, line => line.Contains("left as it is") && line.Contains(_name));
    }

    [IntegrationFact(Needs.Moto)]
    public async Task A_repository_with_exclusion_filters_keeps_its_base_setting_and_names_the_excepted_tags()
    {
        foreach (var (wire, expected, text) in new[]
        {
            ("IMMUTABLE_WITH_EXCLUSION", EcrTagMutability.Immutable, "Immutable except latest, dev-*"),
            ("MUTABLE_WITH_EXCLUSION", EcrTagMutability.Mutable, "Mutable except latest, dev-*"),
        })
        {
            var name = $"{_name}-{wire.ToLowerInvariant().Replace('_', '-')}";
            // Made by boto3, as the console or CloudFormation would make it: our client creates only plain settings.
            await MotoInspector.QueryAsync(_endpoint, $$"""
                ecr.create_repository(repositoryName="{{name}}", imageTagMutability="{{wire}}",
                    imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest"}, {"filterType": "WILDCARD", "filter": "dev-*"}])
                out({})
                """);
            using var client = Client();

            var repository = await client.EnsureRepositoryAsync(name, EcrTagMutability.Immutable, scanOnPush: false);

            Assert.Equal(expected, repository.TagMutability);
            Assert.Equal(["latest", "dev-*"], repository.TagMutabilityExclusions);
            Assert.Equal(text, repository.TagMutabilityText);
            Assert.Contains(_log.Lines, line => line.Contains($"exists with {text} tags", StringComparison.Ordinal) && line.Contains(name, StringComparison.Ordinal));
        }
    }

    [IntegrationFact(Needs.Moto)]
    public async Task CreateRepository_of_an_existing_name_throws_RepositoryAlreadyExistsException()
    {
        using var client = Client();
        await client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: false);

        var error = await Assert.ThrowsAsync<EcrException>(() => client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: false));

        Assert.Equal("RepositoryAlreadyExistsException", error.Type);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task DescribeRepositories_of_a_missing_repository_names_the_error_operation_and_endpoint()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<EcrException>(() => client.DescribeRepositoriesAsync([_name]));

        Assert.Equal("RepositoryNotFoundException", error.Type);
        Assert.Equal("DescribeRepositories", error.Operation);
        Assert.Contains(_endpoint.ToString(), error.Message);
        Assert.Contains(_name, error.Message);
        Assert.Equal(1, error.Attempts);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task GetAuthorizationToken_decodes_user_and_password_and_masks_both_even_when_expired()
    {
        using var client = Client();

        var login = await client.GetAuthorizationTokenAsync();

        Assert.Equal("AWS", login.UserName);
        Assert.Equal($"{MotoServer.AccountId}-auth-token", login.Password);
        Assert.Equal(new Uri($"https://{MotoServer.AccountId}.dkr.ecr.{MotoServer.Region}.amazonaws.com"), login.ProxyEndpoint);
        Assert.True(login.ExpiresAt < DateTimeOffset.UtcNow, "moto's token expired in 2015; the client returns it rather than looping");
        Assert.Equal("***", _log.Masker.Redact(login.Password));
        Assert.Equal("***", _log.Masker.Redact(login.AuthorizationToken));
        Assert.DoesNotContain(login.Password, login.ToString());
    }

    [IntegrationFact(Needs.Moto)]
    public async Task DescribeImage_finds_an_image_by_tag_and_by_digest()
    {
        using var client = Client();
        await client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: false);
        await MotoImages.PutAsync(_endpoint, _name, "v1");

        var byTag = await client.DescribeImageAsync(_name, EcrImageId.ByTag("v1"));
        var byDigest = await client.DescribeImageAsync(_name, EcrImageId.ByDigest(byTag.Digest));

        Assert.StartsWith("sha256:", byTag.Digest);
        Assert.Equal(["v1"], byTag.Tags);
        Assert.True(byTag.SizeInBytes > 0);
        Assert.NotNull(byTag.PushedAt);
        Assert.Equal(byTag.Digest, byDigest.Digest);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task DescribeImage_of_a_missing_tag_throws_ImageNotFoundException()
    {
        using var client = Client();
        await client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: false);

        var error = await Assert.ThrowsAsync<EcrException>(() => client.DescribeImageAsync(_name, EcrImageId.ByTag("missing")));

        Assert.Equal("ImageNotFoundException", error.Type);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task WaitForScan_reports_each_status_and_returns_the_findings_once_complete()
    {
        using var client = Client(new EcrClientOptions { ScanPollInterval = TimeSpan.FromMilliseconds(100) });
        await client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: false);
        await MotoImages.PutAsync(_endpoint, _name, "v1");
        var statuses = new List<string>();

        var started = await client.StartImageScanAsync(_name, EcrImageId.ByTag("v1"));
        var findings = await client.WaitForScanAsync(_name, EcrImageId.ByTag("v1"), TimeSpan.FromSeconds(30), s => statuses.Add(s.Status));

        Assert.Equal("IN_PROGRESS", started.Status);
        Assert.Equal("COMPLETE", statuses[^1]);
        Assert.True(findings.Status.IsComplete);
        var finding = Assert.Single(findings.Findings);
        Assert.Equal("CVE-9999-9999", finding.Name);
        Assert.Equal("HIGH", finding.Severity);
        Assert.Equal("moto_fake", finding.PackageName);
        Assert.Equal("9.9.9", finding.PackageVersion);
        Assert.Equal(1, findings.SeverityCounts["HIGH"]);
    }

    [IntegrationFact(Needs.Moto)]
    public async Task WaitForScan_of_an_image_never_scanned_times_out_naming_the_last_status()
    {
        using var client = Client(new EcrClientOptions { ScanPollInterval = TimeSpan.FromMilliseconds(100) });
        await client.CreateRepositoryAsync(_name, EcrTagMutability.Mutable, scanOnPush: false);
        await MotoImages.PutAsync(_endpoint, _name, "v1");

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            client.WaitForScanAsync(_name, EcrImageId.ByTag("v1"), TimeSpan.FromMilliseconds(500)));

        Assert.Contains("PENDING", error.Message);
        Assert.Contains($"{_name}@v1", error.Message);
    }
}
