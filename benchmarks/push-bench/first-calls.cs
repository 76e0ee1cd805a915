#:project ../../build/Tools/Container/CloudAge.Tools.Container.csproj
// The build program's own runtime settings (build/_build.csproj), as in container-push.cs.
#:property TieredPGO=false
#:property ConcurrentGarbageCollection=false
#:property InvariantGlobalization=true
// What each first call of the push path costs in a fresh process, and the same call a second time: the part of a
// warm push that is the .NET process's, not the engine's or the registry's. Usage (first-calls.sh drives it):
// first-calls IMAGE REGISTRY [CONTEXT REPOSITORY RECORDS]   (IMAGE: a local image to inspect; REGISTRY: host:port of a
// registry without auth; CONTEXT: a build context whose Dockerfile starts FROM ${BASE_IMAGE}, built on IMAGE with
// every step cached but the labels, as a warm DockerBuild is, tagged REPOSITORY:first-PID-N, with build records kept
// in RECORDS, a new folder, so the base image is looked up as in push-bench.sh's warm run)
using System.Diagnostics;
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Registry;

if (args.Length is not (2 or 5))
{
    Console.Error.WriteLine("Usage: first-calls IMAGE REGISTRY [CONTEXT REPOSITORY RECORDS]");
    return 2;
}
var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
Console.WriteLine($"process start to Main\t{(DateTime.UtcNow - started).TotalMilliseconds:0}");
var clock = Stopwatch.StartNew();
void Report(string what)
{
    Console.WriteLine($"{what}\t{clock.Elapsed.TotalMilliseconds:0.0}");
    clock.Restart();
}

var endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? new Uri(host) : DockerEngine.DefaultEndpoint;
clock.Restart();
using var docker = DockerEngine.Connect(endpoint);
Report("Docker client construction");
for (var i = 1; i <= 2; i++)
{
    await DockerEngine.EnsureRunningAsync(docker, endpoint);
    Report($"engine ping, call {i}");
}
for (var i = 1; i <= 2; i++)
{
    await docker.Images.InspectImageAsync(args[0]);
    Report($"image inspect, call {i}");
}
using var registry = new RegistryClient(args[1], null, new SecretMasker(), _ => { });
Report("registry client construction");
for (var i = 1; i <= 2; i++)
{
    await registry.CheckAccessAsync();
    Report($"registry request, call {i}");
}
if (args.Length == 5)
{
    // A new version each call: the engine commits a new LABEL step, as in push-bench.sh's warm runs.
    var builder = new DockerBuilder(docker, endpoint, _ => { });
    for (var i = 1; i <= 2; i++)
    {
        var version = $"first-{Environment.ProcessId}-{i}"; // new in every process, so no LABEL step is cached
        await builder.BuildAsync(new ImageBuildRequest(args[2], [$"{args[3]}:{version}"],
            new ImageMetadata(version, new string('0', 40), "first-calls", DateTimeOffset.UnixEpoch)) { BaseImage = args[0], RecordDirectory = args[4] });
        Report($"image build (steps cached, new labels), call {i}");
    }
}
return 0;
