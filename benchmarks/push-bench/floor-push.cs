#:project ../../build/Tools/Container/CloudAge.Tools.Container.csproj
// The build program's own runtime settings (build/_build.csproj), as in container-push.cs.
#:property TieredPGO=false
#:property ConcurrentGarbageCollection=false
#:property InvariantGlobalization=true
// A floor for push-bench.sh's warm ratio, not a way to push: the two engine requests the raw CLI makes (POST /build with
// the context's tar, POST /images/{name}/push), sent by a .NET program published as container-push.cs is, over the
// framework's own HttpClient and JsonDocument, without Docker.DotNet, build records, retries, tag checks or the digest
// read-back. It sends the same tar (BuildContext), build arguments and labels as container-push.cs, so what is left
// between its figure and the raw CLI's is what any ReadyToRun .NET program pays for the same job.
// Usage: floor-push CONTEXT REGISTRY REPOSITORY TAG [--no-cache] [--base-image IMAGE]   (a registry without auth)
// Prints the engine's build log, then bytes-uploaded=0 (it does not count; push-bench.sh's warm run uploads nothing).
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CloudAge.Tools.Container.Context;

if (args.Length < 4)
{
    Console.Error.WriteLine("Usage: floor-push CONTEXT REGISTRY REPOSITORY TAG [--no-cache] [--base-image IMAGE]");
    return 2;
}
var (context, registry, repository, tag) = (args[0], args[1], args[2], args[3]);
var baseIndex = Array.IndexOf(args, "--base-image");
var baseImage = baseIndex > 0 && baseIndex + 1 < args.Length ? args[baseIndex + 1] : null;
var socketPath = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? new Uri(host).LocalPath : "/var/run/docker.sock";
var commit = new string('0', 40);

using var engine = new HttpClient(new SocketsHttpHandler
{
    ConnectCallback = async (_, token) =>
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    },
}) { BaseAddress = new Uri("http://docker/v1.41/"), Timeout = TimeSpan.FromMinutes(5) };

// The labels as DockerBuilder appends them to the Dockerfile in the tar, the arguments as it passes them.
var labels = $"LABEL \"org.opencontainers.image.version\"=\"{tag}\" \"org.opencontainers.image.revision\"=\"{commit}\" " +
    "\"org.opencontainers.image.source\"=\"bench\" \"org.opencontainers.image.created\"=\"1970-01-01T00:00:00Z\"";
var buffer = new System.Buffers.ArrayBufferWriter<byte>();
using (var writer = new Utf8JsonWriter(buffer))
{
    writer.WriteStartObject();
    writer.WriteString("VERSION", tag);
    writer.WriteString("COMMIT", commit);
    if (baseImage is not null)
        writer.WriteString("BASE_IMAGE", baseImage);
    writer.WriteEndObject();
}
var query = $"build?dockerfile=Dockerfile&t={Uri.EscapeDataString($"{registry}/{repository}:{tag}")}&buildargs={Uri.EscapeDataString(Encoding.UTF8.GetString(buffer.WrittenSpan))}" +
    $"&rm=1&forcerm=1{(args.Contains("--no-cache") ? "&nocache=1" : "")}";

await using (var tar = BuildContext.OpenTar(context, "Dockerfile", labels))
{
    using var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = new StreamContent(tar.Stream) };
    request.Content.Headers.ContentType = new("application/x-tar");
    if (await SendAsync(request, print: true) is { } failure)
        return Fail($"build: {failure}");
    await tar.Writing;
}
using (var request = new HttpRequestMessage(HttpMethod.Post, $"images/{Uri.EscapeDataString($"{registry}/{repository}")}/push?tag={Uri.EscapeDataString(tag)}"))
{
    request.Headers.Add("X-Registry-Auth", Convert.ToBase64String("{}"u8));
    if (await SendAsync(request, print: false) is { } failure)
        return Fail($"push: {failure}");
}
Console.WriteLine("bytes-uploaded=0");
return 0;

// Sends an engine request whose answer is a stream of JSON messages; returns the first error, or null.
async Task<string?> SendAsync(HttpRequestMessage request, bool print)
{
    using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    if (!response.IsSuccessStatusCode)
        return $"HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.Length == 0)
            continue;
        using var message = JsonDocument.Parse(line);
        if (message.RootElement.TryGetProperty("error", out var error))
            return error.GetString();
        if (print && message.RootElement.TryGetProperty("stream", out var text))
            Console.Write(text.GetString());
    }
    return null;
}

static int Fail(string what)
{
    Console.Error.WriteLine(what);
    return 1;
}
