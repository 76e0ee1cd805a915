using CloudAge.Common.Errors;

namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// The endpoint of one AWS service as the AWS SDKs and CLI choose it (AWS SDKs and Tools reference guide,
/// "Service-specific endpoints"; the order is the one aws-cli's tests/functional/configured_endpoint_urls check):
/// an endpoint the caller was given wins, as the CLI's --endpoint-url does; else <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>,
/// else <c>AWS_ENDPOINT_URL</c>, else the service's <c>endpoint_url</c> in the profile's <c>services</c> section, else
/// the profile's own <c>endpoint_url</c> (<see cref="SharedConfigEndpoints"/>); all four are skipped when
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true, or when it is unset and the profile's
/// <c>ignore_configured_endpoint_urls</c> is; else null, the service's regional endpoint.
/// </summary>
public static class ConfiguredEndpoint
{
    // The identifiers the variables are named with ("Identifiers for service-specific endpoints").
    public const string Ecr = "ECR";
    public const string Eks = "EKS";
    public const string Sts = "STS";
    public const string CloudFormation = "CLOUDFORMATION";
    public const string Iam = "IAM";

    /// <param name="service">One of the identifiers above.</param>
    /// <param name="given">The endpoint the user gave the caller itself (a flag), or null.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="config">The profile's endpoint settings in the shared config file, or null when not read.</param>
    /// <exception cref="InputException">The variable or setting that would be used is not an http or https URL.</exception>
    public static Uri? Resolve(string service, Uri? given, Func<string, string?> environment, SharedConfigEndpoints? config = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (given is not null)
            return given;
        // The variable decides when it is set, as the SDKs read every setting: the environment before the file.
        var ignore = environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.Trim() is { Length: > 0 } ignoreVariable
            ? string.Equals(ignoreVariable, "true", StringComparison.OrdinalIgnoreCase)
            : config?.Ignore == true;
        if (ignore)
            return null;
        var display = service == CloudFormation ? "CloudFormation" : service;
        foreach (var name in new[] { "AWS_ENDPOINT_URL_" + service, "AWS_ENDPOINT_URL" })
        {
            if (environment(name)?.Trim() is { Length: > 0 } value)
                return Endpoint(value, $"The environment variable {name} ({display}'s endpoint, read as the AWS CLI reads it)", "or unset it");
        }
        if (config is null)
            return null;
        if (config.ServiceEndpoints.TryGetValue(service.ToLowerInvariant(), out var serviceUrl))
            return Endpoint(serviceUrl, $"The endpoint_url under '{service.ToLowerInvariant()}' in section [services {config.ServicesSection}] of {config.File} " +
                $"({display}'s endpoint for profile '{config.Profile}', read as the AWS CLI reads it)", "or remove it");
        return config.EndpointUrl is { } profileUrl
            ? Endpoint(profileUrl, $"The endpoint_url of profile '{config.Profile}' in {config.File} ({display}'s endpoint, read as the AWS CLI reads it)", "or remove it")
            : null;

        Uri Endpoint(string value, string what, string orElse)
        {
            // Signed requests go there with the session's credentials: a URL with user info, a query or a fragment is a mistake.
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.Host.Length > 0
                && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0)
                return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
            throw new InputException($"{what} is not an http or https URL without user, query or fragment; " +
                $"set it to one such as https://{service.ToLowerInvariant()}.us-east-1.amazonaws.com or http://localhost:4566, {orElse}.");
        }
    }
}
