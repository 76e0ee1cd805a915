using CloudAge.Common.Errors;

namespace CloudAge.Tools.Aws.Transport;

/// <summary>
/// The endpoint of one AWS service as the AWS SDKs and CLI choose it (AWS SDKs and Tools reference guide,
/// "Service-specific endpoints"): an endpoint the caller was given wins, as the CLI's --endpoint-url does; else
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, else <c>AWS_ENDPOINT_URL</c>, both skipped when
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true; else null, the service's regional endpoint. The shared config
/// file's <c>endpoint_url</c> and <c>services</c> settings are not read.
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
    /// <exception cref="InputException">The variable that would be used is not an http or https URL.</exception>
    public static Uri? Resolve(string service, Uri? given, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (given is not null)
            return given;
        if (string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            return null;
        foreach (var name in new[] { "AWS_ENDPOINT_URL_" + service, "AWS_ENDPOINT_URL" })
        {
            if (environment(name)?.Trim() is not { Length: > 0 } value)
                continue;
            // Signed requests go there with the session's credentials: a URL with user info, a query or a fragment is a mistake.
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.Host.Length > 0
                && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0)
                return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
            var display = service == CloudFormation ? "CloudFormation" : service;
            throw new InputException($"The environment variable {name} ({display}'s endpoint, read as the AWS CLI reads it) is not an http or https URL without user, query or fragment; " +
                $"set it to one such as https://{service.ToLowerInvariant()}.us-east-1.amazonaws.com or http://localhost:4566, or unset it.");
        }
        return null;
    }
}
