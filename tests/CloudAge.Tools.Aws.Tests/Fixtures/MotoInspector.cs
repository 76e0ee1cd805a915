using System.Text.Json;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;

namespace CloudAge.Tools.Aws.Tests.Fixtures;

/// <summary>
/// Looks at what moto holds through boto3, the official AWS SDK for Python (on the machine with moto): a second,
/// independent client, so a resource is checked through the service's own API, not through the code under test.
/// </summary>
public static class MotoInspector
{
    /// <summary>Runs <paramref name="body"/> (Python; clients <c>ddb</c>, <c>s3</c>, <c>ecr</c>, <c>iam</c> in scope) and parses what it prints as JSON.</summary>
    public static async Task<JsonElement> QueryAsync(Uri endpoint, string body)
    {
        var script = $$"""
            import boto3, json, sys
            kw = dict(endpoint_url="{{endpoint.ToString().TrimEnd('/')}}", region_name="{{MotoServer.Region}}", aws_access_key_id="AKIAINSPECTOR0000001", aws_secret_access_key="inspector")
            ddb, s3, ecr, iam = (boto3.client(n, **kw) for n in ("dynamodb", "s3", "ecr", "iam"))
            def out(value): print(json.dumps(value, default=str))
            """ + "\n" + body;
        var runner = new ProcessRunner(new SecretMasker(), _ => { });
        var result = await runner.RunAsync(new ProcessSpec("python3", ["-c", script]) { StreamOutput = false, ThrowOnFailure = false });
        Assert.True(result.ExitCode == 0, "boto3 query failed: " + result.StandardError);
        return JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
