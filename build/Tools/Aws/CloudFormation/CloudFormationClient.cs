using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Aws.Credentials;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Transport;

namespace CloudAge.Tools.Aws.CloudFormation;

/// <summary>
/// The CloudFormation calls a change-set deployment needs, written by hand because AWSSDK.CloudFormation is not
/// served here: the AWS Query protocol (form-encoded <c>POST /</c>, <c>Action</c> and <c>Version=2010-05-15</c>,
/// XML answers), signed with SigV4 (service <c>cloudformation</c>), retried on throttling and transient failures.
/// </summary>
public sealed partial class CloudFormationClient : IDisposable
{
    /// <summary>
    /// Pages <see cref="DescribeStackEventsAsync"/> reads at most: 2,000 events, far more than one run of a template
    /// makes, so a stack with a long history cannot keep a deployment paging.
    /// </summary>
    public const int MaxEventPages = 20;

    private readonly AwsSession _session;
    private readonly SecretMasker _masker;
    private readonly Action<string> _log;
    private readonly CloudFormationClientOptions _options;
    private readonly AwsTransport _transport;

    public CloudFormationClient(AwsSession session, SecretMasker masker, Action<string> log, CloudFormationClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _masker = masker;
        _log = message => log(masker.Redact(message));
        _options = options ?? new CloudFormationClientOptions();
        Endpoint = _options.Endpoint ?? AwsEndpoints.CloudFormation(session.Region);
        _transport = CreateTransport(handler);
    }

    public Uri Endpoint { get; }

    /// <summary>The stack, or null when no stack of that name exists (CloudFormation answers ValidationError "does not exist").</summary>
    public async Task<StackSummary?> DescribeStackAsync(string stackName, CancellationToken cancellationToken = default)
    {
        XElement result;
        try
        {
            result = await SendAsync("DescribeStacks", [new("StackName", stackName)], cancellationToken).ConfigureAwait(false);
        }
        catch (CloudFormationException e) when (e.Code == "ValidationError" && e.ServiceMessage.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }
        var stack = result.Descendants(Name("member")).FirstOrDefault(m => m.Parent?.Name.LocalName == "Stacks");
        if (stack is null)
            return null;
        return new StackSummary(Text(stack, "StackName") ?? stackName, Text(stack, "StackId") ?? string.Empty,
            Text(stack, "StackStatus") ?? "UNKNOWN", Text(stack, "StackStatusReason"),
            Pairs(stack, "Parameters", "ParameterKey", "ParameterValue"), Pairs(stack, "Outputs", "OutputKey", "OutputValue"));
    }

    /// <summary>
    /// Creates a change set; <paramref name="create"/> selects ChangeSetType CREATE (new stack) or UPDATE. The transport
    /// retries a try that timed out or failed after CloudFormation may have acted on it, so the call carries a
    /// ClientToken: a retry of a change set that was made answers as the first try did instead of AlreadyExistsException.
    /// </summary>
    public async Task<string> CreateChangeSetAsync(string stackName, string changeSetName, string templateBody, IReadOnlyList<StackParameter> parameters,
        IReadOnlyList<string> capabilities, bool create, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("StackName", stackName),
            new("ChangeSetName", changeSetName),
            new("ClientToken", IdempotencyToken(changeSetName)),
            new("ChangeSetType", create ? "CREATE" : "UPDATE"),
            new("TemplateBody", templateBody),
            new("Description", "CloudAge Provision"),
        };
        // A NoEcho value is a secret from here on: CloudFormation masks it only where it shows parameters; a resource's
        // failure reason in the stack events and an Output that names it print it as it is (CloudFormation User Guide,
        // "Parameters": NoEcho "doesn't mask any information stored in ... Outputs ... or Metadata").
        foreach (var parameter in parameters.Where(p => p.NoEcho))
            _masker.Add(parameter.Value);
        for (var i = 0; i < parameters.Count; i++)
        {
            var prefix = $"Parameters.member.{i + 1}.";
            form.Add(new(prefix + "ParameterKey", parameters[i].Key));
            if (parameters[i].UsePreviousValue)
                form.Add(new(prefix + "UsePreviousValue", "true"));
            else
                form.Add(new(prefix + "ParameterValue", parameters[i].Value ?? string.Empty));
        }
        for (var i = 0; i < capabilities.Count; i++)
            form.Add(new($"Capabilities.member.{i + 1}", capabilities[i]));
        var result = await SendAsync("CreateChangeSet", form, cancellationToken).ConfigureAwait(false);
        return Text(result, "Id") ?? changeSetName;
    }

    /// <summary>The change set with every page of its changes.</summary>
    public async Task<ChangeSetSummary> DescribeChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default)
    {
        var changes = new List<ResourceChange>();
        string? next = null;
        XElement result;
        do
        {
            var form = new List<KeyValuePair<string, string>> { new("StackName", stackName), new("ChangeSetName", changeSetName) };
            if (next is not null)
                form.Add(new("NextToken", next));
            result = await SendAsync("DescribeChangeSet", form, cancellationToken).ConfigureAwait(false);
            foreach (var change in result.Descendants(Name("ResourceChange")))
            {
                changes.Add(new ResourceChange(Text(change, "Action") ?? "?", Text(change, "LogicalResourceId") ?? "?",
                    Text(change, "ResourceType") ?? "?", Text(change, "PhysicalResourceId"), Text(change, "Replacement")));
            }
            next = Text(result, "NextToken");
        }
        while (!string.IsNullOrEmpty(next));
        return new ChangeSetSummary(Text(result, "ChangeSetId") ?? changeSetName, Text(result, "ChangeSetName") ?? changeSetName,
            Text(result, "Status") ?? "UNKNOWN", Text(result, "ExecutionStatus") ?? "UNKNOWN", Text(result, "StatusReason"), changes);
    }

    /// <summary>
    /// Runs a change set. Its ClientRequestToken makes a retry of a try CloudFormation already acted on a repeat, not
    /// a second execution that InvalidChangeSetStatus refuses; the stack events of the run carry the token too.
    /// </summary>
    public Task ExecuteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default) =>
        SendAsync("ExecuteChangeSet", [new("StackName", stackName), new("ChangeSetName", changeSetName), new("ClientRequestToken", IdempotencyToken(changeSetName))], cancellationToken);

    public Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteChangeSet", [new("StackName", stackName), new("ChangeSetName", changeSetName)], cancellationToken);

    /// <summary>
    /// The stack's events, newest first, read page by page (DescribeStackEvents answers 100 at a time, newest first) until
    /// a page holds an event for which <paramref name="reachedKnown"/> is true, no NextToken remains, or
    /// <see cref="MaxEventPages"/> pages are read. A deployment passes "an event seen before it ran": everything after
    /// that one in the answer is older still, and a stack's whole history can run to thousands of events.
    /// </summary>
    public async Task<IReadOnlyList<StackEvent>> DescribeStackEventsAsync(string stackName, Func<StackEvent, bool>? reachedKnown = null, CancellationToken cancellationToken = default)
    {
        var events = new List<StackEvent>();
        string? next = null;
        for (var page = 0; page < MaxEventPages; page++)
        {
            var form = new List<KeyValuePair<string, string>> { new("StackName", stackName) };
            if (next is not null)
                form.Add(new("NextToken", next));
            var result = await SendAsync("DescribeStackEvents", form, cancellationToken).ConfigureAwait(false);
            var read = result.Descendants(Name("member")).Where(m => m.Parent?.Name.LocalName == "StackEvents").Select(e => new StackEvent(
                Text(e, "EventId") ?? string.Empty,
                DateTimeOffset.TryParse(Text(e, "Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue,
                Text(e, "LogicalResourceId") ?? "?", Text(e, "ResourceType") ?? "?", Text(e, "ResourceStatus") ?? "?", Text(e, "ResourceStatusReason"))).ToList();
            events.AddRange(read);
            next = Text(result, "NextToken");
            if (next is null || (reachedKnown is not null && read.Any(reachedKnown)))
                break;
        }
        return events;
    }

    /// <summary>
    /// The template's parameters (GetTemplateSummary): name, whether it has a default, whether it is NoEcho (the API
    /// reference's ParameterDeclaration: ParameterKey, DefaultValue, NoEcho).
    /// </summary>
    public async Task<IReadOnlyList<TemplateParameter>> GetTemplateParametersAsync(string templateBody, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("GetTemplateSummary", [new("TemplateBody", templateBody)], cancellationToken).ConfigureAwait(false);
        return result.Elements(Name("Parameters")).Elements(Name("member"))
            .Select(m => new TemplateParameter(Text(m, "ParameterKey") ?? "?", m.Element(Name("DefaultValue")) is not null,
                bool.TryParse(Text(m, "NoEcho"), out var noEcho) && noEcho))
            .ToList();
    }

    public Task DeleteStackAsync(string stackName, CancellationToken cancellationToken = default) =>
        SendAsync("DeleteStack", [new("StackName", stackName)], cancellationToken);

    public void Dispose() => _transport.Dispose();

    // One token per logical call, the same on every try of it: derived from the change set, which is unique per deployment
    // of the stack. A change set name ([a-zA-Z][-a-zA-Z0-9]*, at most 128) is already a token ([a-zA-Z0-9][-a-zA-Z0-9]*,
    // at most 128); an ARN, which the API also takes, keeps its tail (the name and the change set's id) with the rest as
    // hyphens. CreateChangeSet's ClientToken and ExecuteChangeSet's ClientRequestToken belong to separate actions, so
    // one value serves both.
    private static string IdempotencyToken(string changeSetName)
    {
        var token = NotInToken().Replace(changeSetName, "-");
        return (token.Length <= 128 ? token : token[^128..]).TrimStart('-');
    }

    [GeneratedRegex("[^-a-zA-Z0-9]")]
    private static partial Regex NotInToken();

    // The transport drops XML namespaces (real CloudFormation and emulators differ), so plain local names match.
    private static XName Name(string localName) => localName;

    private static string? Text(XElement parent, string localName) =>
        parent.Elements(Name(localName)).FirstOrDefault()?.Value is { Length: > 0 } value ? value : null;

    private static Dictionary<string, string> Pairs(XElement stack, string list, string key, string value) =>
        stack.Elements(Name(list)).Elements(Name("member"))
            .Where(m => Text(m, key) is not null)
            .GroupBy(m => Text(m, key)!)
            .ToDictionary(g => g.Key, g => Text(g.First(), value) ?? string.Empty, StringComparer.Ordinal);
}
