using CloudAge.Testing;
using CloudAge.Tools.Container.Building;
using CloudAge.Tools.Container.Context;
using CloudAge.Tools.Container.Tests.Fixtures;

namespace CloudAge.Tools.Container.Tests.Building;

/// <summary>
/// An unchanged build reuses the image recorded for its inputs without sending the context (real engine); any change
/// of a file, an argument or the base image, a Dockerfile with another FROM, a removed image or --no-cache builds again.
/// </summary>
public class BuildRecordsTests
{
    private static readonly ImageMetadata Metadata = new("1.0.0", "0123abcdef456789012345678901234567890abc", "https://example.com/cloudage",
        new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));

    private const string Dockerfile = "ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0\nFROM ${BASE_IMAGE}\nCOPY app.txt /app/app.txt\n";

    // A context whose Dockerfile builds on the BASE_IMAGE argument only, so its builds can be recorded.
    private static TempDirectory NewContext()
    {
        var context = new TempDirectory();
        context.Write("Dockerfile", Dockerfile);
        context.Write("app.txt", "one");
        return context;
    }

    [IntegrationFact(Needs.Docker)]
    public async Task An_unchanged_build_reuses_its_image_and_every_changed_input_builds_again()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var context = NewContext();
        using var records = new TempDirectory();
        var name = $"cloudage-test-records-{Guid.NewGuid():N}";
        using var client = DockerEngine.Connect(DockerCli.Endpoint);

        async Task<(ImageBuildResult Result, Log Log)> Build(string tag, ImageMetadata? metadata = null, bool noCache = false)
        {
            var log = new Log();
            var result = await new DockerBuilder(client, DockerCli.Endpoint, log.Write).BuildAsync(
                new ImageBuildRequest(context.Path, [docker.Track($"{name}:{tag}")], metadata ?? Metadata)
                { BaseImage = baseImage, RecordDirectory = records.Path, NoCache = noCache });
            return (result, log);
        }

        var first = await Build("first");
        var again = await Build("again");

        // The second build never reached the engine's build (no steps), and its tag names the same image.
        Assert.Contains(first.Log.Lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal));
        Assert.DoesNotContain(again.Log.Lines, l => l.StartsWith("Step ", StringComparison.Ordinal));
        Assert.Contains(again.Log.Lines, l => l.StartsWith($"Reused {first.Result.ImageId}", StringComparison.Ordinal));
        Assert.Equal(first.Result.ImageId, again.Result.ImageId);
        Assert.Equal(first.Result.ImageId, (await docker.RunAsync("image", "inspect", "--format", "{{.Id}}", $"{name}:again")).Trim());

        // A changed file, changed labels (another commit) and --no-cache each go to the engine.
        context.Write("app.txt", "two");
        var changedFile = await Build("file");
        Assert.Contains(changedFile.Log.Lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal));
        Assert.NotEqual(first.Result.ImageId, changedFile.Result.ImageId);
        var changedCommit = await Build("commit", Metadata with { Revision = new string('f', 40) });
        Assert.Contains(changedCommit.Log.Lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal));
        Assert.Contains((await Build("nocache", noCache: true)).Log.Lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal));

        // Another base image under the same name (the tag moved, as a pull of a newer base moves it): its ID is in the key.
        var otherBase = await docker.MakeBaseImageAsync();
        await docker.RunAsync("tag", otherBase, baseImage);
        var rebased = await Build("rebased");
        Assert.Contains(rebased.Log.Lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal));

        // A recorded image that is gone from the engine is built again, not trusted.
        var current = await Build("current");
        Assert.DoesNotContain(current.Log.Lines, l => l.StartsWith("Step ", StringComparison.Ordinal));
        await docker.RunAsync("image", "rm", "-f", current.Result.ImageId);
        var rebuilt = await Build("rebuilt");
        Assert.Contains(rebuilt.Log.Lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal));
    }

    [IntegrationFact(Needs.Docker)]
    public async Task A_local_base_image_of_another_platform_gives_no_key_because_the_engine_would_pull_instead()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync(); // imported here: linux/amd64
        using var context = NewContext();
        using var client = DockerEngine.Connect(DockerCli.Endpoint);
        var request = new ImageBuildRequest(context.Path, ["x:y"], Metadata) { BaseImage = baseImage };
        var arguments = new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage };

        Assert.NotNull(await BuildRecords.KeyAsync(client, request with { Platform = "linux/amd64" }, arguments, "LABEL a=b", CancellationToken.None));
        Assert.Null(await BuildRecords.KeyAsync(client, request with { Platform = "linux/arm64" }, arguments, "LABEL a=b", CancellationToken.None));
        Assert.Null(await BuildRecords.KeyAsync(client, request with { BaseImage = "cloudage-test-absent:" + Guid.NewGuid().ToString("N") }, arguments, "LABEL a=b", CancellationToken.None));
    }

    [IntegrationFact(Needs.Docker)]
    public async Task A_build_of_a_new_group_needs_nothing_before_it_and_is_recorded_only_on_the_base_its_FROM_steps_name()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var context = NewContext();
        using var records = new TempDirectory();
        using var client = DockerEngine.Connect(DockerCli.Endpoint);
        var reference = docker.Track($"cloudage-test-records-{Guid.NewGuid():N}:x");
        var request = new ImageBuildRequest(context.Path, [reference], Metadata) { BaseImage = baseImage, RecordDirectory = records.Path };
        var arguments = new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage, ["VERSION"] = "1.0.0" };

        // No record in this build's group (arguments, label line, Dockerfile path, platform): none can match, so
        // nothing is read or asked before the build.
        var group = BuildRecords.GroupOf(request, arguments, "LABEL a=b", records.Path);
        Assert.NotNull(group);
        Assert.False(group.Value.HasRecords);
        Assert.Null(BuildRecords.GroupOf(request with { BaseImage = null }, arguments, "LABEL a=b", records.Path));

        // The engine's log of a real build names the image each FROM step started from.
        var log = new Log();
        await new DockerBuilder(client, DockerCli.Endpoint, log.Write).BuildAsync(request with { RecordDirectory = null });
        var builtOn = new BuildRecords.BaseSteps();
        foreach (var line in log.Lines)
            builtOn.Line(line);
        var baseId = (await docker.RunAsync("image", "inspect", "--format", "{{.Id}}", baseImage)).Trim();
        Assert.Equal(new[] { baseId["sha256:".Length..][..12] }, builtOn.Ids);
        Assert.Equal(baseId, await BuildRecords.BaseImageIdAsync(client, request, CancellationToken.None));

        var sent = await BuildContext.DigestAsync(context.Path, dockerfileSuffix: "LABEL a=b");
        var key = BuildRecords.KeyOfSent(request, arguments, baseId, sent, builtOn);
        Assert.NotNull(key);
        BuildRecords.Add(records.Path, group.Value.Group, key, "sha256:" + new string('1', 64));

        // Once the group has a record, the key is read before the build, and it is the key recorded from what was sent.
        var again = BuildRecords.GroupOf(request, arguments, "LABEL a=b", records.Path);
        Assert.Equal((group.Value.Group, true), again!.Value);
        Assert.Equal((key, baseId), (await BuildRecords.KeyAsync(client, request, arguments, "LABEL a=b", CancellationToken.None))!.Value);
        Assert.False(BuildRecords.GroupOf(request, arguments, "LABEL a=c", records.Path)!.Value.HasRecords);
        Assert.False(BuildRecords.GroupOf(request with { NoCache = true }, arguments, "LABEL a=b", records.Path)!.Value.HasRecords);

        // The base tag moved between the engine's look-up and ours (or away and back): the image asked about is not the
        // one the build started from, and nothing is recorded. A log without FROM steps proves nothing either.
        var otherId = (await docker.RunAsync("image", "inspect", "--format", "{{.Id}}", await docker.MakeBaseImageAsync())).Trim();
        Assert.Null(BuildRecords.KeyOfSent(request, arguments, otherId, sent, builtOn));
        Assert.Null(BuildRecords.KeyOfSent(request, arguments, baseId, sent, new BuildRecords.BaseSteps()));
        // Two stages, one of which started from another image: every FROM step must name the base image.
        var twoStages = new BuildRecords.BaseSteps();
        foreach (var line in new[] { "Step 1/2 : FROM ${BASE_IMAGE} AS one", " ---> " + baseId[7..19], "Step 2/2 : FROM ${BASE_IMAGE}", " ---> " + otherId[7..19] })
            twoStages.Line(line);
        Assert.Null(BuildRecords.KeyOfSent(request, arguments, baseId, sent, twoStages));
    }

    [Fact]
    public void A_new_group_makes_the_folder_keep_only_its_newest_groups_and_a_group_found_counts_as_new()
    {
        using var records = new TempDirectory();
        var image = "sha256:" + new string('1', 64);
        var start = DateTime.UtcNow.AddDays(-30); // in the past, so that a group used now is the newest
        static string Group(int i) => new((char)('0' + i), 64); // groups and keys are named by SHA-256s
        for (var i = 0; i < 3; i++)
        {
            BuildRecords.Add(records.Path, Group(i), "key", image, groupsKept: 3);
            Directory.SetLastWriteTimeUtc(records.PathOf(Group(i)), start.AddDays(i));
        }
        // A record filed flat by the first version of the records, which no build reads any more, and a file that is
        // not a record at all (never counted or deleted).
        File.SetLastWriteTimeUtc(records.Write(new string('a', 64), image), start.AddDays(-1));
        File.SetLastWriteTimeUtc(records.Write("README", "not a record"), start.AddDays(-2));

        // The oldest group is reused, so it is the newest now; another record in an existing group prunes nothing.
        Assert.Equal(image, BuildRecords.Find(records.Path, Group(0), "key"));
        BuildRecords.Add(records.Path, Group(1), "other-key", image, groupsKept: 3);
        Assert.Equal(5, Directory.GetFileSystemEntries(records.Path).Length);
        BuildRecords.Add(records.Path, Group(3), "key", image, groupsKept: 3);

        Assert.Equal(new[] { Group(0), Group(1), Group(3), "README" },
            Directory.GetFileSystemEntries(records.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Null(BuildRecords.Find(records.Path, Group(2), "key"));
    }

    [IntegrationFact(Needs.Docker)]
    public async Task A_build_that_cannot_be_recorded_still_succeeds_and_says_why_it_was_not_recorded()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var context = NewContext();
        // The records folder's path is taken by a file: no folder can be made there.
        var notAFolder = context.Write("records-file", "");
        using var client = DockerEngine.Connect(DockerCli.Endpoint);
        var log = new Log();

        var built = await new DockerBuilder(client, DockerCli.Endpoint, log.Write).BuildAsync(new ImageBuildRequest(context.Path,
            [docker.Track($"cloudage-test-records-{Guid.NewGuid():N}:x")], Metadata) { BaseImage = baseImage, RecordDirectory = notAFolder });

        Assert.StartsWith("sha256:", built.ImageId, StringComparison.Ordinal);
        var warning = Assert.Single(log.Lines, l => l.StartsWith("Warning: the build was not recorded in " + notAFolder, StringComparison.Ordinal));
        Assert.Contains("the next unchanged build goes to the engine again", warning);
    }

    [IntegrationFact(Needs.Docker)]
    public async Task A_build_the_engine_refuses_after_the_base_lookup_has_started_fails_with_the_engines_words()
    {
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var records = new TempDirectory();
        using var client = DockerEngine.Connect(DockerCli.Endpoint);
        // More than the context's pipe holds (1 MiB), so the base image is asked about only once most of it is sent.
        using var context = NewContext();
        File.WriteAllBytes(context.PathOf("big.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20));
        context.Write("Dockerfile", Dockerfile + "COPY missing.txt /app/missing.txt\n");
        var request = new ImageBuildRequest(context.Path, [docker.Track($"cloudage-test-records-{Guid.NewGuid():N}:x")], Metadata)
        { BaseImage = baseImage, RecordDirectory = records.Path };

        var error = await Assert.ThrowsAsync<ContainerException>(() => new DockerBuilder(client, DockerCli.Endpoint, _ => { }).BuildAsync(request));

        Assert.StartsWith("The image build failed at 'Step 4/5 : COPY missing.txt /app/missing.txt'", error.Message, StringComparison.Ordinal);
        Assert.Contains("file not found in build context", error.Message);
    }

    [Fact]
    public async Task A_build_call_that_fails_without_taking_the_context_stops_the_base_lookup_waiting_for_the_upload()
    {
        // An engine client that fails the build without reading the context or closing its stream: the tar's writer
        // waits on a full pipe until the context is disposed, which happens only after the lookup has been awaited.
        using var context = NewContext();
        File.WriteAllBytes(context.PathOf("big.bin"), new byte[3 << 20]);
        using var records = new TempDirectory();
        var client = FailingBuildEngine.Create();
        var request = new ImageBuildRequest(context.Path, ["cloudage-test-records:x"], Metadata) { BaseImage = "base:1", RecordDirectory = records.Path };

        var error = await Assert.ThrowsAsync<ContainerException>(() =>
            new DockerBuilder(client, DockerEngine.DefaultEndpoint, _ => { }).BuildAsync(request).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.StartsWith("No Docker engine answers at unix:///var/run/docker.sock (the connection was reset)", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(records.Path, "*", SearchOption.AllDirectories));
    }

    // The engine client's three calls a new-group build makes: the ping and the base lookup answer, the build fails at
    // once as a dropped connection does, leaving the context stream unread and open.
    public class FailingBuildEngine : System.Reflection.DispatchProxy
    {
        public static Docker.DotNet.IDockerClient Create() => Create<Docker.DotNet.IDockerClient, FailingBuildEngine>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            "get_System" => Create<Docker.DotNet.ISystemOperations, FailingBuildEngine>(),
            "get_Images" => Create<Docker.DotNet.IImageOperations, FailingBuildEngine>(),
            "PingAsync" => Task.CompletedTask,
            "InspectImageAsync" => Task.FromResult(new Docker.DotNet.Models.ImageInspectResponse { ID = "sha256:" + new string('b', 64), Os = "linux", Architecture = "amd64" }),
            "BuildImageFromDockerfileAsync" => Task.FromException(new IOException("the connection was reset")),
            "Dispose" => null,
            _ => throw new NotSupportedException(targetMethod.Name),
        };
    }

    [Fact]
    public void The_base_steps_are_the_IDs_the_engine_logs_after_each_FROM_step_and_no_other()
    {
        var steps = new BuildRecords.BaseSteps();
        foreach (var line in new[]
        {
            "Step 1/6 : ARG BASE_IMAGE",
            "Step 2/6 : FROM ${BASE_IMAGE} AS one",
            " ---> 9300b6c53788",
            "Step 3/6 : RUN echo ' ---> aaaaaaaaaaaa'",
            " ---> Running in 5f1e2d3c4b5a",
            " ---> aaaaaaaaaaaa",
            "Removing intermediate container 5f1e2d3c4b5a",
            " ---> 9516cebf251b",
            "Step 4/6 : from $BASE_IMAGE",
            " ---> Using cache",
            " ---> 9300b6c53788",
            "Step 5/6 : FROMAGE /x",
            " ---> bbbbbbbbbbbb",
            "Step 6/6 : LABEL a=b",
            " ---> 48d0f2c18074",
        })
            steps.Line(line);

        Assert.Equal(new[] { "9300b6c53788", "9300b6c53788" }, steps.Ids);
        Assert.True(steps.Complete);

        // A FROM step whose result is not logged before the next step line (a base image's ONBUILD trigger running its
        // own steps, say) leaves that stage unchecked: the steps are not complete, and no key is given.
        var cut = new BuildRecords.BaseSteps();
        foreach (var line in new[] { "Step 1/3 : FROM ${BASE_IMAGE}", "# Executing 1 build trigger", "Step 1/1 : RUN true", " ---> 9300b6c53788",
            "Step 2/3 : FROM ${BASE_IMAGE}", " ---> 9300b6c53788" })
            cut.Line(line);
        Assert.Equal(new[] { "9300b6c53788" }, cut.Ids);
        Assert.False(cut.Complete);
        Assert.False(new BuildRecords.BaseSteps().Complete);
    }

    [IntegrationFact(Needs.Docker)]
    public async Task A_context_that_cannot_be_hashed_fails_with_its_reason_whether_or_not_the_base_image_gives_a_key()
    {
        if (OperatingSystem.IsWindows())
            return; // no FIFOs in a Windows file system
        await using var docker = new DockerCli();
        var baseImage = await docker.MakeBaseImageAsync();
        using var context = NewContext();
        using var records = new TempDirectory();
        using var client = DockerEngine.Connect(DockerCli.Endpoint);
        // A first build files a record in this build's group, so the next one hashes its context before building.
        await new DockerBuilder(client, DockerCli.Endpoint, _ => { }).BuildAsync(new ImageBuildRequest(context.Path,
            [docker.Track($"cloudage-test-records-{Guid.NewGuid():N}:x")], Metadata) { BaseImage = baseImage, RecordDirectory = records.Path });
        var recorded = Directory.GetFiles(records.Path, "*", SearchOption.AllDirectories);
        Assert.Single(recorded);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(context.Path, "pipe")]))
            await mkfifo.WaitForExitAsync();

        // The hash runs beside the engine's answer about the base image: with a key (local base, a group with records)
        // its failure is the build's; without one (no such base) nothing is hashed, and the tar meets the same file and
        // says the same.
        foreach (var baseName in new[] { baseImage, "cloudage-test-absent:" + Guid.NewGuid().ToString("N") })
        {
            var request = new ImageBuildRequest(context.Path, [docker.Track($"cloudage-test-records-{Guid.NewGuid():N}:x")], Metadata)
            { BaseImage = baseName, RecordDirectory = records.Path };
            var error = await Assert.ThrowsAsync<ContainerException>(() => new DockerBuilder(client, DockerCli.Endpoint, _ => { }).BuildAsync(request));
            Assert.Contains("'pipe', which is a FIFO (named pipe), not a file", error.Message);
        }
        Assert.Equal(recorded, Directory.GetFiles(records.Path, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY a /a\n", true)]
    [InlineData("ARG BASE_IMAGE\nfrom $BASE_IMAGE as app\nCOPY --chown=1:1 a /a\n", true)]
    [InlineData("ARG BASE_IMAGE\nFROM --platform=linux/arm64 ${BASE_IMAGE}\n", false)]
    [InlineData("ARG base_image\nFROM $base_image\n", false)]
    [InlineData("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY --from=busybox:latest /bin/sh /sh\n", false)]
    [InlineData("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nADD https://example.com/tool.tgz /tool.tgz\n", false)]
    [InlineData("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nADD git@github.com:org/repo.git /src\n", false)]
    [InlineData("ARG BASE_IMAGE\nFROM \\\n  ${BASE_IMAGE}\n", false)]
    [InlineData("FROM debian:12\nCOPY a /a\n", false)]
    [InlineData("ARG BASE_IMAGE\nFROM ${BASE_IMAGE} AS build\nFROM build\n", false)]
    [InlineData("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nFROM alpine\n", false)]
    [InlineData("# no FROM at all\n", false)]
    public void Only_a_Dockerfile_whose_one_outside_input_is_the_base_image_argument_can_be_reused(string dockerfile, bool reusable) =>
        Assert.Equal(reusable, BuildRecords.OnlyBaseImage(dockerfile));

    [Theory]
    [InlineData("cloudage:sha-0123abc", "cloudage", "sha-0123abc")]
    [InlineData("127.0.0.1:5000/team/cloudage:1.2.3", "127.0.0.1:5000/team/cloudage", "1.2.3")]
    [InlineData("127.0.0.1:5000/cloudage", "127.0.0.1:5000/cloudage", "latest")]
    public void References_split_into_repository_and_tag(string reference, string repository, string tag) =>
        Assert.Equal((repository, tag), DockerBuilder.SplitReference(reference));
}
