using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>
/// An in-process CloudFormation for what moto cannot do: idempotency tokens, event pages, failed rollbacks and time
/// passing. One stack; a run of a change set follows <see cref="Run"/>, one step per DescribeStacks poll. Faithful to the
/// API reference where it matters here: DescribeStackEvents answers newest first, 100 a page, with a NextToken;
/// CreateChangeSet with the ClientToken of a change set it made answers as it did then, without one a second change set
/// of the same name is AlreadyExistsException; ExecuteChangeSet with the ClientRequestToken of the run it started is
/// answered as before, without it a change set already run is InvalidChangeSetStatus.
/// </summary>
public sealed class CloudFormationFake(string stackName) : HttpMessageHandler
{
    private const int EventsPerPage = 100;
    private static readonly DateTime EventsStart = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly ConcurrentQueue<Dictionary<string, string>> _calls = new();
    private readonly List<(string Id, string Status, string LogicalId, string Type, string? Reason)> _events = [];
    private readonly Dictionary<string, string?> _changeSetTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _timedOut = new(StringComparer.Ordinal);
    private string? _executedWith;
    private bool _executed;
    private bool _someoneElseStarted;
    private int _changeSetPolls;
    private int _step;

    /// <summary>One step of a run: the stack's status on that poll and the events that happened before it.</summary>
    public sealed record Step(string Status, params (string Status, string LogicalId, string Type, string? Reason)[] Events);

    /// <summary>The stack's status before the deployment; null: there is none.</summary>
    public string? Status { get; set; }

    /// <summary>What ExecuteChangeSet sets off; the last step's status is where the stack stays.</summary>
    public IReadOnlyList<Step> Run { get; init; } = [new("UPDATE_IN_PROGRESS"), new("UPDATE_COMPLETE")];

    /// <summary>DescribeChangeSet polls that answer CREATE_IN_PROGRESS before the change set is ready.</summary>
    public int ChangeSetPollsInProgress { get; init; }

    /// <summary>Actions whose first try is acted on and then never answered, as when the answer is lost to a timeout.</summary>
    public IReadOnlyCollection<string> AnswerLostOnFirstTry { get; init; } = [];

    /// <summary>
    /// An action before whose first call someone else's update starts on the stack (UPDATE_IN_PROGRESS, and it stays so):
    /// the race between the deployer's DescribeStacks and its own calls.
    /// </summary>
    public string? SomeoneElseStartsBefore { get; init; }

    /// <summary>The status someone else's operation puts the stack in (their update, or their create of a stack still in review).</summary>
    public string SomeoneElsesStatus { get; init; } = "UPDATE_IN_PROGRESS";

    /// <summary>The clock to give the deployer: it moves only when CloudFormation is polled while it works.</summary>
    public FakeClock Clock { get; } = new();

    /// <summary>How much of <see cref="Clock"/> each poll of a change set or stack still in progress takes.</summary>
    public TimeSpan PollTakes { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Every request's form fields, in order.</summary>
    public IReadOnlyList<Dictionary<string, string>> Calls => _calls.ToArray();

    /// <summary>Events the stack had before this deployment, oldest first.</summary>
    public void AddHistory(int count)
    {
        for (var i = 0; i < count; i++)
            _events.Add(($"history-{i}", i % 2 == 0 ? "UPDATE_IN_PROGRESS" : "UPDATE_COMPLETE", $"Old{i}", "AWS::IAM::Role", null));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = QueryAnswers.Form(await request.Content!.ReadAsStringAsync(cancellationToken));
        _calls.Enqueue(form);
        var action = form["Action"];
        if (action == SomeoneElseStartsBefore && !_someoneElseStarted)
            (_someoneElseStarted, Status) = (true, SomeoneElsesStatus);
        var answer = Answer(action, form);
        if (AnswerLostOnFirstTry.Contains(action) && _timedOut.Add(action))
            await Task.Delay(Timeout.Infinite, cancellationToken);
        return answer;
    }

    private HttpResponseMessage Answer(string action, Dictionary<string, string> form) => action switch
    {
        "DescribeStacks" => DescribeStacks(),
        "GetTemplateSummary" => QueryAnswers.Result(action, "<Parameters/>"),
        "CreateChangeSet" => CreateChangeSet(form),
        "DescribeChangeSet" => DescribeChangeSet(form["ChangeSetName"]),
        "ExecuteChangeSet" => ExecuteChangeSet(form),
        "DescribeStackEvents" => DescribeStackEvents(form.TryGetValue("NextToken", out var token) ? int.Parse(token, System.Globalization.CultureInfo.InvariantCulture) : 0),
        "DeleteChangeSet" or "DeleteStack" => QueryAnswers.Result(action, string.Empty),
        _ => QueryAnswers.Error(HttpStatusCode.BadRequest, "InvalidAction", $"The action {action} is not valid for this web service."),
    };

    private HttpResponseMessage DescribeStacks()
    {
        if (_executed)
        {
            var step = Run[Math.Min(_step++, Run.Count - 1)];
            if (_step <= Run.Count)
                foreach (var e in step.Events)
                    _events.Add(($"run-{_events.Count}", e.Status, e.LogicalId, e.Type, e.Reason));
            Status = step.Status;
            if (Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
                Clock.Advance(PollTakes);
        }
        if (Status is null)
            return QueryAnswers.Error(HttpStatusCode.BadRequest, "ValidationError", $"Stack with id {stackName} does not exist");
        return QueryAnswers.Result("DescribeStacks", $"<Stacks><member><StackName>{stackName}</StackName>" +
            $"<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/{stackName}/x</StackId><StackStatus>{Status}</StackStatus>" +
            "<CreationTime>2026-12-01T12:00:00Z</CreationTime></member></Stacks>");
    }

    private HttpResponseMessage CreateChangeSet(Dictionary<string, string> form)
    {
        if (HeldByAnotherOperation() is { } refused)
            return refused;
        // A template with a Transform must be acknowledged with CAPABILITY_AUTO_EXPAND (CreateChangeSet API reference,
        // Capabilities; InsufficientCapabilitiesException, HTTP 400, in botocore's cloudformation service model).
        if (form.GetValueOrDefault("TemplateBody", string.Empty).Contains("Transform:", StringComparison.Ordinal)
            && !form.Where(f => f.Key.StartsWith("Capabilities.member.", StringComparison.Ordinal)).Any(f => f.Value == "CAPABILITY_AUTO_EXPAND"))
            return QueryAnswers.Error(HttpStatusCode.BadRequest, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_AUTO_EXPAND]");
        var name = form["ChangeSetName"];
        var token = form.GetValueOrDefault("ClientToken");
        if (_changeSetTokens.TryGetValue(name, out var madeWith) && (token is null || token != madeWith))
            return QueryAnswers.Error(HttpStatusCode.BadRequest, "AlreadyExistsException", $"ChangeSet {name} already exists");
        _changeSetTokens[name] = token;
        Status ??= "REVIEW_IN_PROGRESS";
        return QueryAnswers.Result("CreateChangeSet", $"<Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/{name}/1</Id>" +
            $"<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/{stackName}/x</StackId>");
    }

    private HttpResponseMessage DescribeChangeSet(string name)
    {
        var inProgress = _changeSetPolls++ < ChangeSetPollsInProgress;
        if (inProgress)
            Clock.Advance(PollTakes);
        return QueryAnswers.Result("DescribeChangeSet", $"<ChangeSetName>{name}</ChangeSetName><Status>{(inProgress ? "CREATE_IN_PROGRESS" : "CREATE_COMPLETE")}</Status>" +
            $"<ExecutionStatus>{(inProgress ? "UNAVAILABLE" : "AVAILABLE")}</ExecutionStatus><Changes><member><Type>Resource</Type><ResourceChange>" +
            "<Action>Modify</Action><LogicalResourceId>PodRole</LogicalResourceId><ResourceType>AWS::IAM::Role</ResourceType><Replacement>False</Replacement>" +
            "</ResourceChange></member></Changes>");
    }

    private HttpResponseMessage ExecuteChangeSet(Dictionary<string, string> form)
    {
        if (!_executed && HeldByAnotherOperation() is { } refused)
            return refused;
        var token = form.GetValueOrDefault("ClientRequestToken");
        if (_executed)
        {
            return token is not null && token == _executedWith
                ? QueryAnswers.Result("ExecuteChangeSet", string.Empty)
                : QueryAnswers.Error(HttpStatusCode.BadRequest, "InvalidChangeSetStatus",
                    $"ChangeSet [arn:aws:cloudformation:us-east-1:123456789012:changeSet/{form["ChangeSetName"]}/1] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]");
        }
        _executed = true;
        _executedWith = token;
        return QueryAnswers.Result("ExecuteChangeSet", string.Empty);
    }

    // CloudFormation refuses to make or run a change set while another operation holds the stack (REVIEW_IN_PROGRESS
    // holds nothing: a stack made by CreateChangeSet takes more change sets), with the ValidationError text users see
    // from aws cloudformation deploy (e.g. aws/aws-dotnet-deploy#689, "UPDATE_IN_PROGRESS state and can not be updated").
    private HttpResponseMessage? HeldByAnotherOperation() =>
        Status is { } status && status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && status != "REVIEW_IN_PROGRESS"
            ? QueryAnswers.Error(HttpStatusCode.BadRequest, "ValidationError",
                $"Stack:arn:aws:cloudformation:us-east-1:123456789012:stack/{stackName}/x is in {status} state and can not be updated.")
            : null;

    private HttpResponseMessage DescribeStackEvents(int start)
    {
        var members = new StringBuilder();
        var end = Math.Max(_events.Count - start - EventsPerPage, 0);
        for (var i = _events.Count - 1 - start; i >= end; i--)
        {
            var e = _events[i];
            members.Append(QueryAnswers.Event(stackName, e.Id, EventsStart.AddSeconds(i), e.Status, e.LogicalId, e.Type, e.Reason));
        }
        var next = end > 0 ? $"<NextToken>{start + EventsPerPage}</NextToken>" : string.Empty;
        return QueryAnswers.Result("DescribeStackEvents", $"<StackEvents>{members}</StackEvents>{next}");
    }

    /// <summary>A clock that stands still until <see cref="Advance"/>; timers (the deployer's poll delay) run in real time.</summary>
    public sealed class FakeClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
