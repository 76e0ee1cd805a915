using System.Text;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>
/// moto never fails a stack once a change set runs (it has no CREATE_FAILED or ROLLBACK states), so this handler
/// forwards every call to moto and, after ExecuteChangeSet, answers DescribeStacks and DescribeStackEvents the way
/// CloudFormation does when a resource fails to create: ROLLBACK_IN_PROGRESS, then ROLLBACK_COMPLETE, with a
/// CREATE_FAILED event carrying the handler's message. Shapes follow the CloudFormation API reference
/// (DescribeStacks, DescribeStackEvents: "Examples"; stack status codes in "Stack status codes" of the user guide).
/// </summary>
public sealed class RollbackScript(string stackName, string failedResource, string reason) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<(string Status, string Logical, string Type, string? Reason)> _events = [];
    private bool _executed;
    private int _polls;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var action = QueryAnswers.Form(body).GetValueOrDefault("Action");
        if (action == "ExecuteChangeSet")
        {
            var response = await base.SendAsync(request, cancellationToken);
            _executed = true;
            _events.Add(("CREATE_IN_PROGRESS", stackName, "AWS::CloudFormation::Stack", "User Initiated"));
            return response;
        }
        if (!_executed || action is not ("DescribeStacks" or "DescribeStackEvents"))
            return await base.SendAsync(request, cancellationToken);
        if (action == "DescribeStacks")
        {
            _polls++;
            if (_polls == 1)
            {
                _events.Add(("CREATE_FAILED", failedResource, "AWS::S3::Bucket", reason));
                _events.Add(("ROLLBACK_IN_PROGRESS", stackName, "AWS::CloudFormation::Stack", $"The following resource(s) failed to create: [{failedResource}]. Rollback requested by user."));
                return QueryAnswers.Result("DescribeStacks", Stack("ROLLBACK_IN_PROGRESS"));
            }
            _events.Add(("ROLLBACK_COMPLETE", stackName, "AWS::CloudFormation::Stack", null));
            return QueryAnswers.Result("DescribeStacks", Stack("ROLLBACK_COMPLETE"));
        }
        var members = new StringBuilder();
        var at = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        for (var i = _events.Count - 1; i >= 0; i--)
        {
            var (status, logical, type, why) = _events[i];
            members.Append(QueryAnswers.Event(stackName, $"scripted-{i}", at.AddSeconds(i), status, logical, type, why));
        }
        return QueryAnswers.Result("DescribeStackEvents", $"<StackEvents>{members}</StackEvents>");
    }

    private string Stack(string status) =>
        $"<Stacks><member><StackName>{stackName}</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/{stackName}/x</StackId>" +
        $"<StackStatus>{status}</StackStatus><StackStatusReason>The following resource(s) failed to create: [{failedResource}]. </StackStatusReason>" +
        "<CreationTime>2026-12-01T12:00:00Z</CreationTime></member></Stacks>";
}
