#:project ../../build/Tools/Container/CloudAge.Tools.Container.csproj
// The build program's own runtime settings (build/_build.csproj), so the entry point starts as ./build.sh does.
#:property TieredPGO=false
#:property ConcurrentGarbageCollection=false
#:property InvariantGlobalization=true
// The code path the benchmark measures against the raw docker CLI: build a context through the engine API and push
// it with ImagePusher. Usage: dotnet run container-push.cs -- CONTEXT REGISTRY REPOSITORY TAG [--no-cache] [--base-image IMAGE]
// Credentials, when the registry needs them: BENCH_REGISTRY_USER and BENCH_REGISTRY_PASSWORD. Prints bytes-uploaded=N last.
// --records DIR: the build records folder DockerBuild keeps ($XDG_CACHE_HOME/cloudage/builds), so an unchanged build is reused.
using CloudAge.Common.Secrets;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Pushing;
using CloudAge.Tools.Container.Registry;

if (args.Length < 4)
{
    Console.Error.WriteLine("Usage: container-push.cs CONTEXT REGISTRY REPOSITORY TAG [--no-cache] [--base-image IMAGE]");
    return 2;
}
var (context, registry, repository, tag) = (args[0], args[1], args[2], args[3]);
var noCache = args.Contains("--no-cache");
var baseIndex = Array.IndexOf(args, "--base-image");
var baseImage = baseIndex > 0 && baseIndex + 1 < args.Length ? args[baseIndex + 1] : null;
var recordsIndex = Array.IndexOf(args, "--records");
var records = recordsIndex > 0 && recordsIndex + 1 < args.Length ? args[recordsIndex + 1] : null;
var user = Environment.GetEnvironmentVariable("BENCH_REGISTRY_USER");
var password = Environment.GetEnvironmentVariable("BENCH_REGISTRY_PASSWORD");
var credentials = user is null || password is null ? null : new RegistryCredentials(user, password);

var masker = new SecretMasker();
Action<string> log = line => Console.WriteLine(masker.Redact(line));
var endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? new Uri(host) : DockerEngine.DefaultEndpoint;
using var docker = DockerEngine.Connect(endpoint);
var reference = $"{registry}/{repository}:{tag}";
try
{
    var built = await new DockerBuilder(docker, endpoint, log).BuildAsync(
        new ImageBuildRequest(context, [reference], new ImageMetadata(tag, "0000000000000000000000000000000000000000", "bench", DateTimeOffset.UnixEpoch))
        { NoCache = noCache, BaseImage = baseImage, RecordDirectory = records });
    using var client = new RegistryClient(registry, credentials, masker, log);
    var pushed = await new ImagePusher(docker, endpoint, client, masker, log).PushAsync(
        new PushRequest(built.ImageId, registry, repository, [tag]) { Credentials = credentials });
    Console.WriteLine($"bytes-uploaded={pushed.BytesUploaded}");
    return 0;
}
catch (CloudAge.Tools.Container.ContainerException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
