namespace CloudAge.App.Tests.Fixtures;

/// <summary>A container of the service image, run as the Kubernetes pod runs it, published on a free loopback port.</summary>
public sealed class RunningContainer : IAsyncDisposable
{
    private readonly ServiceImageFixture _fixture;

    private RunningContainer(ServiceImageFixture fixture, string name, Uri baseAddress)
    {
        _fixture = fixture;
        Name = name;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }

    public HttpClient Client { get; }

    public static async Task<RunningContainer> StartAsync(ServiceImageFixture fixture, string image, string name, IReadOnlyList<string> environment)
    {
        // The pod's user, read-only root with its writable /tmp, dropped capabilities and the sysctl that lets the
        // non-root process bind port 80, all read from k8s/deployment.yaml.
        var arguments = new List<string> { "run", "--detach", "--name", name, "--publish", "127.0.0.1::80" };
        arguments.AddRange(PodSettings.DockerRunFlags());
        foreach (var variable in environment)
            arguments.AddRange(["--env", variable]);
        arguments.Add(image);
        await fixture.DockerAsync([.. arguments]);

        var port = (await fixture.DockerAsync("port", name, "80/tcp")).StandardOutput.Split('\n')[0].Trim();
        var container = new RunningContainer(fixture, name, new Uri("http://127.0.0.1:" + port[(port.LastIndexOf(':') + 1)..]));
        try
        {
            await container.WaitUntilHealthyAsync();
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    public async Task<string> LogsAsync()
    {
        var logs = await _fixture.DockerAsync("logs", Name);
        return logs.StandardOutput + logs.StandardError;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _fixture.Runner.RunAsync(new("docker", ["rm", "--force", Name]) { ThrowOnFailure = false, StreamOutput = false });
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline)
            {
                var logs = await LogsAsync();
                throw new TimeoutException($"Container {Name} did not answer /healthz on {Client.BaseAddress} within 30 s. Logs:\n{logs}");
            }
            await Task.Delay(200);
        }
    }
}
