using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using CloudAge.Common.Resilience;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Signing;
using Polly;
using Polly.Timeout;

namespace CloudAge.Tools.Aws.CloudFormation;

public sealed partial class CloudFormationClient
{
    private const string ApiVersion = "2010-05-15";
    private const string SigningService = "cloudformation";

    private readonly ResiliencePipeline _pipeline;
    private static readonly ResiliencePropertyKey<string> ActionKey = new("cloudformation-action");

    /// <summary>Sends one Query call and returns its <c>&lt;Action&gt;Result</c> element, namespaces removed.</summary>
    private async Task<XElement> SendAsync(string action, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", ApiVersion) };
        fields.AddRange(form);
        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ActionKey, action);
        var attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(async ctx =>
            {
                attempts++;
                return await SendOnceAsync(action, body, ctx.CancellationToken).ConfigureAwait(false);
            }, context).ConfigureAwait(false);
        }
        catch (CloudFormationException e) when (e.IsTransient)
        {
            throw new CloudFormationException(e.Code, e.ServiceMessage, e.StatusCode, _masker.Redact(
                $"CloudFormation {action} at {Endpoint} still failed after {attempts} tries; the last answer was HTTP {(int?)e.StatusCode} {e.Code}: {e.ServiceMessage}"));
        }
        catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            var code = e is TimeoutRejectedException ? "Timeout" : "ConnectionFailed";
            throw new CloudFormationException(code, e.Message, null, _masker.Redact(
                $"CloudFormation {action} at {Endpoint} could not be reached after {attempts} tries ({code}: {e.Message}). " +
                "Check the network, the region and any --aws-endpoint override."));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<XElement> SendOnceAsync(string action, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        var keys = await CredentialKeys.GetAsync(_session.Credentials, _masker).ConfigureAwait(false);
        await SigV4RequestSigner.SignAsync(request, keys, _session.Region, SigningService, _options.TimeProvider.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw FromErrorAnswer(action, response, text);
        try
        {
            var document = XDocument.Parse(text);
            foreach (var element in document.Descendants())
                element.Name = element.Name.LocalName;
            return document.Root?.Element(action + "Result") ?? document.Root ?? new XElement(action + "Result");
        }
        catch (XmlException e)
        {
            throw new CloudFormationException("InvalidResponse", e.Message, response.StatusCode, _masker.Redact(
                $"CloudFormation {action} at {Endpoint} answered HTTP {(int)response.StatusCode} with a body that is not XML: {Snippet(text)}"));
        }
    }

    private CloudFormationException FromErrorAnswer(string action, HttpResponseMessage response, string body)
    {
        string? code = null;
        string? message = null;
        var xmlCode = XmlCode().Match(body);
        if (xmlCode.Success)
        {
            code = WebUtility(xmlCode.Groups[1].Value);
            var xmlMessage = XmlMessage().Match(body);
            message = xmlMessage.Success ? WebUtility(xmlMessage.Groups[1].Value) : null;
        }
        else if (body.TrimStart().StartsWith('{'))
        {
            // Emulators sometimes pass another service's JSON error through (moto does for a failed resource).
            try
            {
                using var json = JsonDocument.Parse(body);
                code = json.RootElement.TryGetProperty("__type", out var type) ? type.GetString() : null;
                message = json.RootElement.TryGetProperty("message", out var text) ? text.GetString() : null;
                if (code is not null && code.Contains('#', StringComparison.Ordinal))
                    code = code[(code.IndexOf('#', StringComparison.Ordinal) + 1)..];
            }
            catch (JsonException)
            {
                // Not JSON after all; the snippet below says what came back.
            }
        }
        code ??= response.ReasonPhrase?.Replace(" ", string.Empty, StringComparison.Ordinal) ?? "HttpError";
        message = _masker.Redact(message ?? Snippet(body));
        var hint = code switch
        {
            "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken" or "UnrecognizedClientException" =>
                " AWS did not accept the credentials: check which ones are in use (aws sts get-caller-identity) and that they are not expired.",
            "AccessDenied" or "AccessDeniedException" =>
                " The credentials lack a CloudFormation permission (cloudformation:" + action + ") or iam:PassRole for the stack's roles.",
            "InsufficientCapabilitiesException" => " The template creates named IAM resources; Provision passes CAPABILITY_NAMED_IAM.",
            _ => string.Empty,
        };
        return new CloudFormationException(code, message, response.StatusCode,
            _masker.Redact($"CloudFormation {action} at {Endpoint} answered HTTP {(int)response.StatusCode} {code}: {message}.{hint}"));

        static string WebUtility(string text) => System.Net.WebUtility.HtmlDecode(text);
    }

    private ResiliencePipeline BuildPipeline() =>
        new RetryPolicy
        {
            MaxAttempts = _options.MaxAttempts,
            BaseDelay = _options.FirstRetryDelay,
            MaxDelay = _options.MaxRetryDelay,
            AttemptTimeout = _options.AttemptTimeout,
        }.Build(
            e => e is CloudFormationException { IsTransient: true } || IsConnectionFailure(e),
            attempt =>
            {
                var action = attempt.Context.Properties.GetValue(ActionKey, "call");
                var answer = attempt.Exception is CloudFormationException cfn ? $"{cfn.Code} (HTTP {(int?)cfn.StatusCode})" : attempt.Exception?.GetType().Name;
                _log($"CloudFormation {action} answered {answer}; retrying in {attempt.Delay.TotalSeconds:0.0}s (try {attempt.Failed + 1} of {attempt.MaxAttempts}).");
            });

    private static bool IsConnectionFailure(Exception e) => AwsCallFailures.IsConnectionFailure(e);

    private static string Snippet(string body)
    {
        var text = body.Trim();
        return text.Length == 0 ? "(empty body)" : text.Length > 300 ? text[..300] + "..." : text;
    }

    [GeneratedRegex("<Code>([^<]*)</Code>")]
    private static partial Regex XmlCode();

    [GeneratedRegex("<Message>([^<]*)</Message>")]
    private static partial Regex XmlMessage();
}
