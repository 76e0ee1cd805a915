using System.Collections.Concurrent;
using CloudAge.Testing;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Context;

/// <summary>Checks the .dockerignore table against the real engine: what a COPY of the whole context sees.</summary>
public class BuildContextEngineTests
{
    [IntegrationFact(Needs.Docker)]
    public async Task Every_dockerignore_case_matches_what_the_Docker_engine_copies()
    {
        await using var docker = new DockerCli();
        var failures = new ConcurrentBag<string>();
        // The cases are independent builds; a few at a time keeps the test short without starving a 2-core machine.
        await Parallel.ForEachAsync(DockerIgnoreCases.Cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (@case, _) =>
        {
            var (name, ignore, excluded) = @case;
            using var directory = new TempDirectory();
            DockerIgnoreCases.Write(directory, ignore);
            var image = docker.Track($"cloudage-test-context:{Guid.NewGuid():N}");
            // --no-cache: the classic builder's cache probe for a COPY onto scratch reads every image without a parent,
            // and another test removing its imported base image at that moment fails the probe ("unable to find image").
            // What the engine copies does not depend on the cache.
            await docker.RunAsync("build", "-q", "--no-cache", "-t", image, directory.Path);

            var copied = (await docker.ListFilesAsync(image))
                .Where(f => f.StartsWith("ctx/", StringComparison.Ordinal)).Select(f => f["ctx/".Length..])
                .Where(f => f is not "Dockerfile" and not ".dockerignore").Order(StringComparer.Ordinal).ToArray();

            var expected = DockerIgnoreCases.ExpectedFiles(excluded);
            if (!copied.SequenceEqual(expected))
                failures.Add($"{name}: engine copied [{string.Join(", ", copied)}], table expects [{string.Join(", ", expected)}]");
        });

        Assert.Empty(failures);
    }
}
