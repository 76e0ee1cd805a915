using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CloudAge.Testing;

namespace CloudAge.Build.Tests.Fixtures;

/// <summary>
/// The real moto server alone on a free loopback port (what Provision talks to: CloudFormation, and behind it DynamoDB,
/// S3, ECR and IAM), and a boto3 look at what it holds: a second, independent client, not the code under test.
/// </summary>
public sealed class MotoAlone : IDisposable
{
    public const string Region = "us-east-1";
    private readonly Process? _process;

    public MotoAlone()
    {
        if (Prerequisites.Missing(Needs.Moto).Count > 0)
            return;
        Port = FreePort.Next();
        _process = Process.Start(new ProcessStartInfo("python3", $"-m moto.server -H 127.0.0.1 -p {Port}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilAnswering();
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Runs <paramref name="body"/> (Python; boto3 clients <c>cfn</c>, <c>ddb</c>, <c>s3</c>, <c>ecr</c>, <c>iam</c> in scope, <c>out(value)</c> prints JSON) and parses what it prints.</summary>
    public JsonElement Query(string body)
    {
        var script = $"""
            import boto3, json
            kw = dict(endpoint_url="{Endpoint}", region_name="{Region}", aws_access_key_id="AKIAINSPECTOR0000001", aws_secret_access_key="inspector")
            cfn, ddb, s3, ecr, iam = (boto3.client(n, **kw) for n in ("cloudformation", "dynamodb", "s3", "ecr", "iam"))
            def out(value): print(json.dumps(value, default=str))
            """ + "\n" + body;
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "boto3 query did not finish within 120 s");
        Assert.True(process.ExitCode == 0, "boto3 query failed: " + stderr.Result);
        return JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    private void WaitUntilAnswering()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Two shared cores and a Python import of every moto backend: allow a generous start.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"moto exited ({_process.ExitCode}) before answering on {Endpoint}.");
            try
            {
                using var response = http.GetAsync($"{Endpoint}/moto-api/data.json").GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still importing.
            }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"moto did not answer on {Endpoint} within 90 s.");
    }

    public void Dispose()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
