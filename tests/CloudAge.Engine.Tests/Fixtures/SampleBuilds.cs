using System.Collections.Concurrent;
using CloudAge.Engine;

namespace CloudAge.Engine.Tests.Fixtures;

/// <summary>A build whose targets record that they ran; the graph mirrors CloudAge's own shape.</summary>
public class RecordingBuild : BuildBase
{
    public ConcurrentQueue<string> Ran { get; } = new();
    protected void Record(string name) => Ran.Enqueue(name);
}

public sealed class PipelineBuild : RecordingBuild
{
    public bool PushAllowed { get; set; } = true;

    Target Clean => _ => _.Before(Restore).Executes(() => Record(nameof(Clean)));
    Target Restore => _ => _.Description("Restores packages").Executes(() => Record(nameof(Restore)));
    Target Compile => _ => _.Description("Builds the solution").DependsOn(Restore).Executes(() => Record(nameof(Compile)));
    Target Test => _ => _.DependsOn(Compile).Executes(() => Record(nameof(Test)));
    Target Publish => _ => _.DependsOn(Compile).After(Test).Executes(() => Record(nameof(Publish)));
    Target Push => _ => _.DependsOn(Publish).OnlyWhenStatic(() => PushAllowed).Executes(() => Record(nameof(Push)));
    Target Notify => _ => _.TriggeredBy(Push).Executes(() => Record(nameof(Notify)));
    Target Lint => _ => _.DependentFor(Compile).Executes(() => Record(nameof(Lint)));
    Target Everything => _ => _.DependsOn(Test, Push);
    Target Secret => _ => _.Unlisted().Executes(() => Record(nameof(Secret)));
}

public sealed class CycleBuild : BuildBase
{
    Target A => _ => _.DependsOn(B);
    Target B => _ => _.DependsOn(C);
    Target C => _ => _.After(A);
}

public sealed class SelfBuild : BuildBase
{
    Target Loop => _ => _.DependsOn(Loop);
}

public sealed class FailureBuild : RecordingBuild
{
    Target Setup => _ => _.Executes(() => Record(nameof(Setup)));
    Target Breaks => _ => _.DependsOn(Setup).Executes(() => throw new InvalidOperationException("the registry said no\nsecond line"));
    Target AfterBreak => _ => _.DependsOn(Breaks).Executes(() => Record(nameof(AfterBreak)));
    Target Independent => _ => _.After(Breaks).Executes(() => Record(nameof(Independent)));
    Target Cleanup => _ => _.After(Independent).AssuredAfterFailure().Executes(() => Record(nameof(Cleanup)));
    Target Tolerant => _ => _.ProceedAfterFailure().Executes(() => throw new InvalidOperationException("tolerated"));
    Target Later => _ => _.After(Tolerant).Executes(() => Record(nameof(Later)));
    Target Default => _ => _.DependsOn(Breaks, AfterBreak, Independent, Cleanup);
    Target TolerantRun => _ => _.DependsOn(Tolerant, Later);
    Target Gated => _ => _.After(Breaks).OnlyWhenDynamic(() => !FailedTargets.Contains(nameof(Breaks)), "'Breaks' failed in this run").Executes(() => Record(nameof(Gated)));
    Target GatedRun => _ => _.DependsOn(Setup, Breaks, Gated, Cleanup);
}

public sealed class ParameterBuild : RecordingBuild
{
    [Parameter("Registry host:port")] public string? Registry { get; init; }
    [Parameter("Image tag to deploy")] public string? ImageTag { get; init; }
    [Parameter("How many times")] public int Retries { get; init; } = 3;
    [Parameter("Verify TLS")] public bool Insecure { get; init; }
    [Parameter("Severity threshold")] public Severity FailOn { get; init; } = Severity.High;
    [Parameter("Extra tags")] public string[] ExtraTags { get; init; } = [];
    [Parameter("Tags, comma separated", Separator = ',')] public string[] Labels { get; init; } = [];
    [Parameter("How long to wait")] public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    [Parameter("Argo CD server")] public Uri? Server { get; init; }
    [Parameter("Output folder")] public AbsolutePath Output { get; init; }
    [Parameter("Registry password"), Secret] public string? RegistryPassword { get; init; }

    Target Default => _ => _.Executes(() => Record(nameof(Default)));
    Target Push => _ => _
        .Requires(() => Registry)
        .Requires(() => Retries > 0)
        .Executes(() =>
        {
            Log.Information($"pushing with password {RegistryPassword}");
            Record(nameof(Push));
        });
    Target Leak => _ => _.Executes(() => throw new InvalidOperationException($"login failed for password {RegistryPassword}"));
    Target Run => _ => _.Executes(() => Processes.RunAsync(new("echo", ["--password", RegistryPassword ?? "", "done"])));
    Target Outputs => _ => _.Executes(() =>
    {
        SetOutput("image-tag", ImageTag ?? "none");
        SetOutput("secret-echo", RegistryPassword ?? "none");
    });
}

public enum Severity
{
    Low,
    Medium,
    High,
    Critical,
}

public sealed class ParallelBuild : RecordingBuild
{
    private int _running;

    public int MaxConcurrency { get; private set; }

    private async Task Work(string name, int lines)
    {
        var now = Interlocked.Increment(ref _running);
        lock (Ran) MaxConcurrency = Math.Max(MaxConcurrency, now);
        for (var i = 0; i < lines; i++)
        {
            Log.Information($"{name} line {i}");
            await Task.Delay(30);
        }
        Interlocked.Decrement(ref _running);
        Record(name);
    }

    Target First => _ => _.Executes(() => Work(nameof(First), 5));
    Target Second => _ => _.Executes(() => Work(nameof(Second), 5));
    Target Third => _ => _.DependsOn(First, Second).Executes(() => Work(nameof(Third), 2));
    Target Default => _ => _.DependsOn(Third);
}

public sealed class DynamicBuild : RecordingBuild
{
    public bool Flag { get; set; }

    Target Before => _ => _.Executes(() => { Flag = false; Record(nameof(Before)); });
    Target Guarded => _ => _.DependsOn(Before).OnlyWhenDynamic(() => Flag).Executes(() => Record(nameof(Guarded)));
    Target Default => _ => _.DependsOn(Guarded).Executes(async ct =>
    {
        await Task.Delay(20, ct);
        Record(nameof(Default));
    });
}

public sealed class SlowBuild : RecordingBuild
{
    Target Wait => _ => _.Executes(async cancellationToken =>
    {
        await Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
        Record(nameof(Wait));
    });
    Target After => _ => _.DependsOn(Wait).Executes(() => Record(nameof(After)));
}

/// <summary>A target that does not watch the token (a synchronous step, a tool call without one) and one that depends on it.</summary>
public sealed class UnwatchfulBuild : RecordingBuild
{
    public ManualResetEventSlim Started { get; } = new();

    Target Busy => _ => _.Executes(() =>
    {
        Started.Set();
        Thread.Sleep(TimeSpan.FromMilliseconds(600));
        Record(nameof(Busy));
    });
    Target Deploy => _ => _.DependsOn(Busy).Executes(() => Record(nameof(Deploy)));
}

/// <summary>
/// Text from outside (a server's message, a file, an exception) that tries every way of becoming a workflow command:
/// after LF, CR and CRLF, indented, in the legacy form mid-line, as the resume token of a guessed stop-commands, and
/// with a soft hyphen inside the "::" that ends the command info, which the runner's culture-sensitive search skips.
/// </summary>
public sealed class HostileOutputBuild : RecordingBuild
{
    public const string Hostile = "health: Degraded\n::add-mask::leak\r::set-output name=x::y\r\n   ::warning file=app.cs::fake\nsee ##[error]fake and ##[add-path]/tmp\n::stop-commands::abc\n::abc::\n::add-mask:\u00AD:leak2";

    public const string FailureStart = "the server answered ##[set-output name=a]b 500: ";

    [Parameter("A secret the build knows")] [Secret] public string? Token { get; init; }

    Target Informs => _ => _.Executes(() => Log.Information("Argo CD said: " + Hostile));
    Target Warns => _ => _.After(Informs).Executes(() => Log.Warning("50% done, " + Hostile));
    Target Problem => _ => _.After(Warns).Executes(() => ReportProblem("k8s/a b,c:d%.yaml", 3, 5, "rule: bad\n::add-mask::x"));
    Target Fails => _ => _.After(Problem).Executes(() => throw new InvalidOperationException(FailureStart + Hostile + " " + Token));
    Target Default => _ => _.DependsOn(Informs, Warns, Problem, Fails);
}

/// <summary>
/// Text from outside that Markdown or HTML would read as markup in the step summary: a cell's '|' (also after a
/// backslash), an HTML comment that would hide the rest, a tag, a code span, emphasis, a link and an image; and a secret
/// holding characters that get escaped.
/// </summary>
public sealed class SummaryHostileBuild : RecordingBuild
{
    public const string Hostile = "registry said a\\|b | c <!-- <script>alert(1)</script> `x` *y* _z_ [l](https://e.example) ![i](https://e.example/p.png) &amp; $m$";
    public const string OutputValue = "http://x`y|z<b>*w*</b>";

    [Parameter("A secret the build knows")] [Secret] public string? Token { get; init; }

    Target Outputs => _ => _.Executes(() => SetOutput("app-url", OutputValue));
    Target Fails => _ => _.After(Outputs).Executes(() => throw new InvalidOperationException(Hostile + " " + Token));
    Target Verbose => _ => _.Executes(() => throw new InvalidOperationException(new string('x', 5000)));
    Target Default => _ => _.DependsOn(Outputs, Fails);
}

/// <summary>Triggers (the forward form of TriggeredBy), WhenSkipped and conditions that give their reason in words.</summary>
public sealed class TriggerBuild : RecordingBuild
{
    Target Deploy => _ => _.Triggers(Announce).Executes(() => Record(nameof(Deploy)));
    Target Announce => _ => _.Executes(() => Record(nameof(Announce)));
    Target Prepare => _ => _.Executes(() => Record(nameof(Prepare)));
    Target Optional => _ => _.DependsOn(Prepare).OnlyWhenStatic(() => false, "there is nothing to publish").WhenSkipped(DependencyBehavior.Execute).Executes(() => Record(nameof(Optional)));
    Target Cascading => _ => _.DependsOn(Prepare).OnlyWhenStatic(() => false, "there is nothing to publish").Executes(() => Record(nameof(Cascading)));
    Target Default => _ => _.DependsOn(Prepare);
    Target Late => _ => _.DependsOn(Prepare).OnlyWhenDynamic(() => false, "the registry already has this image").Executes(() => Record(nameof(Late)));
}
