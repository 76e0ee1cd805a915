using System.Text;

namespace CloudAge.Tools.Aws.Ecr;

public sealed partial class EcrClient
{
    /// <summary>Describes the named repositories; throws <see cref="EcrException"/> (RepositoryNotFoundException) when one is absent.</summary>
    public async Task<IReadOnlyList<EcrRepository>> DescribeRepositoriesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<DescribeRepositoriesResponse>("DescribeRepositories", new DescribeRepositoriesRequest(names), cancellationToken)
            .ConfigureAwait(false);
        return (response.Repositories ?? []).Select(r => r.ToRepository()).ToList();
    }

    /// <summary>Creates a repository; throws <see cref="EcrException"/> (RepositoryAlreadyExistsException) when it exists.</summary>
    public async Task<EcrRepository> CreateRepositoryAsync(string name, EcrTagMutability mutability, bool scanOnPush, CancellationToken cancellationToken = default)
    {
        var request = new CreateRepositoryRequest(name, mutability.ToWire(), new ScanningConfigurationDto(scanOnPush));
        var response = await SendAsync<CreateRepositoryResponse>("CreateRepository", request, cancellationToken).ConfigureAwait(false);
        return response.Repository?.ToRepository() ?? throw MissingField("CreateRepository", "repository");
    }

    /// <summary>
    /// Returns the repository, creating it with the given settings when it does not exist (also when another
    /// run creates it at the same moment). An existing repository keeps its settings; a difference is logged.
    /// </summary>
    public async Task<EcrRepository> EnsureRepositoryAsync(string name, EcrTagMutability mutability, bool scanOnPush, CancellationToken cancellationToken = default)
    {
        var existing = await TryDescribeAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            try
            {
                var created = await CreateRepositoryAsync(name, mutability, scanOnPush, cancellationToken).ConfigureAwait(false);
                _log($"Created ECR repository {created.Uri} ({created.TagMutabilityText}, scan on push {(created.ScanOnPush ? "on" : "off")}).");
                return created;
            }
            catch (EcrException e) when (e.Type == "RepositoryAlreadyExistsException")
            {
                existing = await TryDescribeAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw new EcrException(e.Type, e.ServiceMessage, "CreateRepository", Endpoint, e.StatusCode,
                        $"ECR said repository '{name}' already exists, then that it does not; it is being created and deleted concurrently. Try again.");
            }
        }
        if (existing.TagMutability != mutability || existing.TagMutabilityExclusions.Count > 0 || existing.ScanOnPush != scanOnPush)
            _log($"ECR repository {existing.Uri} exists with {existing.TagMutabilityText} tags and scan on push {(existing.ScanOnPush ? "on" : "off")}; left as it is.");
        return existing;
    }

    /// <summary>A registry login from GetAuthorizationToken; the password and token are in the masker before this returns.</summary>
    public async Task<EcrAuthorization> GetAuthorizationTokenAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<GetAuthorizationTokenResponse>("GetAuthorizationToken", new EmptyRequest(), cancellationToken).ConfigureAwait(false);
        var data = response.AuthorizationData?.FirstOrDefault(d => d.AuthorizationToken is not null)
            ?? throw MissingField("GetAuthorizationToken", "authorizationData");
        var token = data.AuthorizationToken!;
        _masker.Add(token);
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw MissingField("GetAuthorizationToken", "a base64 authorizationToken");
        }
        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0)
            throw MissingField("GetAuthorizationToken", "an authorizationToken of the form user:password");
        var password = decoded[(separator + 1)..];
        _masker.Add(password);
        var proxy = data.ProxyEndpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : throw MissingField("GetAuthorizationToken", "proxyEndpoint");
        return new EcrAuthorization(decoded[..separator], password, token, proxy,
            EcrMapping.FromEpochSeconds(data.ExpiresAt) ?? DateTimeOffset.MaxValue);
    }

    /// <summary>Describes one image (by tag or digest); throws <see cref="EcrException"/> (ImageNotFoundException) when absent.</summary>
    public async Task<EcrImage> DescribeImageAsync(string repository, EcrImageId image, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<DescribeImagesResponse>("DescribeImages", new DescribeImagesRequest(repository, [image.ToWire()]), cancellationToken)
            .ConfigureAwait(false);
        return response.ImageDetails is [var detail, ..] ? detail.ToImage() : throw MissingField("DescribeImages", "imageDetails");
    }

    private async Task<EcrRepository?> TryDescribeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var repositories = await DescribeRepositoriesAsync([name], cancellationToken).ConfigureAwait(false);
            return repositories.FirstOrDefault(r => r.Name == name);
        }
        catch (EcrException e) when (e.Type == "RepositoryNotFoundException")
        {
            return null;
        }
    }

    private EcrException MissingField(string operation, string field) =>
        new("InvalidResponse", $"no {field}", operation, Endpoint, null, $"ECR {operation} at {Endpoint} answered without {field}.");
}
