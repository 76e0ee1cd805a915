using System.Text.Json;
using CloudAge.Common.Secrets;
using CloudAge.Testing;
using CloudAge.Tools.Aws.CloudFormation;
using CloudAge.Tools.Aws.Ecr;
using CloudAge.Tools.Aws.Tests.Fixtures;
using CloudAge.Tools.Aws.Transport;
using Microsoft.AspNetCore.Http;

namespace CloudAge.Tools.Aws.Tests.Transport;

/// <summary>
/// What an AWS error answer says (or whatever answers in AWS's place: a proxy, an emulator) reaches our errors as one
/// bounded line: the parser every AWS client shares, and the ECR and CloudFormation clients against a loopback server
/// that answers with forged lines and a flood.
/// </summary>
public sealed class AwsErrorTextTests
{
    private const string Forged = "denied\n::error::forged by the server\r\nBuild succeeded.";
    private const string ForgedAsPrinted = @"denied\n::error::forged by the server\r\nBuild succeeded.";
    private static readonly string Flood = new('x', 5000);

    private static void AssertOneBoundedLine(string text, int maxLength)
    {
        Assert.DoesNotContain('\n', text);
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.InRange(text.Length, 1, maxLength);
    }

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication> AnsweringAsync(int status, string contentType, string body)
    {
        var server = LoopbackWebApp.Create(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });
        await server.StartAsync();
        return server;
    }

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public void The_code_and_message_of_an_error_answer_are_each_one_bounded_line(string protocol)
    {
        var code = "AccessDenied\u001b[2J" + Flood;
        var body = protocol == "json"
            ? JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "com.amazonaws.ecr#" + code, ["message"] = Forged + Flood })
            : $"<ErrorResponse><Error><Code>{code}</Code><Message>{Forged}{Flood}</Message></Error></ErrorResponse>";

        var (parsedCode, message) = AwsErrorBody.Parse(body);

        AssertOneBoundedLine(parsedCode!, 110);
        Assert.StartsWith(@"AccessDenied\u001b[2J", parsedCode, StringComparison.Ordinal);
        AssertOneBoundedLine(message!, 610);
        Assert.StartsWith(ForgedAsPrinted, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_is_not_an_error_answer_is_shown_as_one_bounded_line()
    {
        var snippet = AwsErrorBody.Snippet("<html>\n<body>\u001b[2J" + Forged + Flood + "</body></html>");

        AssertOneBoundedLine(snippet, 310);
        Assert.StartsWith(@"<html>\n<body>\u001b[2J", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ECR_refusal_with_forged_lines_and_a_flood_is_one_bounded_line()
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "Denied\u001b[2J" + Flood, ["message"] = Forged + Flood });
        await using var server = await AnsweringAsync(403, "application/x-amz-json-1.1", body);
        var log = new LogCapture();
        using var client = new EcrClient(MotoServer.Session(), log.Masker, log.Log, new EcrClientOptions { Endpoint = new Uri(server.Urls.First()), MaxAttempts = 1 });

        var error = await Assert.ThrowsAsync<EcrException>(() => client.DescribeRepositoriesAsync(["cloudage"]));

        AssertOneBoundedLine(error.Type, 110);
        Assert.StartsWith(@"Denied\u001b[2J", error.Type, StringComparison.Ordinal);
        AssertOneBoundedLine(error.Message, 1000);
        Assert.Contains(ForgedAsPrinted, error.Message);
    }

    [Theory]
    [InlineData(403, "text/xml")]
    [InlineData(200, "text/html")]
    public async Task A_CloudFormation_answer_with_forged_lines_and_a_flood_is_one_bounded_line(int status, string contentType)
    {
        var body = status == 200
            ? $"<html>\n<body>{Forged}{Flood}"
            : $"<ErrorResponse><Error><Code>AccessDenied</Code><Message>{Forged}{Flood}</Message></Error></ErrorResponse>";
        await using var server = await AnsweringAsync(status, contentType, body);
        using var client = new CloudFormationClient(MotoServer.Session(), new SecretMasker(), _ => { },
            new CloudFormationClientOptions { Endpoint = new Uri(server.Urls.First()), MaxAttempts = 1 });

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStackAsync("cloudage"));

        AssertOneBoundedLine(error.Message, 1000);
        Assert.Contains(ForgedAsPrinted, error.Message);
    }
}
