using System.Collections.Concurrent;
using CloudAge.Common.Processes;
using CloudAge.Common.Secrets;
using CloudAge.Engine.Execution;
using CloudAge.Engine.Hosts;

namespace CloudAge.Engine;

/// <summary>
/// The base of a build class, as NUKE's NukeBuild: <c>class Build : BuildBase { static int Main() => Execute&lt;Build&gt;(x => x.Compile); }</c>.
/// Everything a run knows lives on the instance, so several builds can run side by side (tests do).
/// </summary>
public abstract class BuildBase
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _outputs = new(StringComparer.Ordinal);
    private readonly AsyncLocal<string?> _currentTarget = new();
    private readonly ConcurrentDictionary<string, byte> _failed = new(StringComparer.Ordinal);

    /// <summary>The repository root: --root, else the nearest folder above the working directory that holds .nuke/.</summary>
    public AbsolutePath RootDirectory { get; internal set; }
    public IBuildHost Host { get; internal set; } = new TerminalHost();
    public bool IsLocalBuild => Host.IsLocal;
    public bool IsServerBuild => !Host.IsLocal;
    /// <summary>True under --dry-run: only targets declared with SupportsDryRun run, and they must change nothing.</summary>
    public bool IsDryRun { get; internal set; }
    /// <summary>Every secret of the run; add values learnt while running (tokens, passwords) so they are masked too.</summary>
    public SecretMasker Secrets { get; internal set; } = new();
    /// <summary>The one process runner: echoes command lines with secrets masked.</summary>
    public ProcessRunner Processes { get; internal set; } = null!;
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Declares a value of the running target (an image tag, a URL): shown in the summary and written to $GITHUB_OUTPUT.</summary>
    public void SetOutput(string name, string value)
    {
        var target = _currentTarget.Value ?? throw new InvalidOperationException("SetOutput can only be called while a target runs.");
        _outputs.GetOrAdd(target, _ => new(StringComparer.Ordinal))[name] = value;
    }

    /// <summary>Reports a problem in a file of the repository: <c>file:line:column: message</c>, annotated on GitHub Actions.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Build code calls it as a member, like SetOutput.")]
    public void ReportProblem(string file, int line, int column, string message) =>
        Log.Problem(file, line, column, message);

    /// <summary>
    /// Where a parameter's value came from, named as the user gave it, for an error a target finds in the value:
    /// <c>throw new InputException($"... '{ArgocdServer}' ({ParameterSourceOf(nameof(ArgocdServer))}) is not ...")</c>
    /// names <c>--argocd-server</c>, <c>ARGOCD_SERVER</c> or <c>"ArgocdServer" in parameters.json</c>. A value not
    /// given anywhere has <see cref="ParameterOrigin.Default"/> and is named by its flag.
    /// </summary>
    /// <param name="member">The parameter's property or field, as <c>nameof(LocalPort)</c>.</param>
    public ParameterSource ParameterSourceOf(string member)
    {
        if (ParameterSources.TryGetValue(member, out var source))
            return source;
        var parameter = Parameters.ParameterDescriptor.For(GetType()).FirstOrDefault(p => p.MemberName == member)
            ?? throw new ArgumentException($"'{member}' is not a parameter of {GetType().Name}; pass nameof(TheParameter).", nameof(member));
        return new ParameterSource(ParameterOrigin.Default, "--" + parameter.CommandLineName);
    }

    internal IReadOnlyDictionary<string, ParameterSource> ParameterSources { get; set; } = new Dictionary<string, ParameterSource>();

    /// <summary>What the start-of-run banner calls this build; the engine knows no product, so a build names itself.</summary>
    public virtual string BuildName => GetType().Name;

    /// <summary>The names of the build's targets, in declaration order (for generators that must check names).</summary>
    public IReadOnlyList<string> TargetNames => Planning.TargetFactory.TargetProperties(GetType()).Select(p => p.Name).ToList();

    /// <summary>
    /// The targets that failed so far in this run (NUKE's <c>FailedTargets</c>), for a condition such as "not after a
    /// failed test": with <c>--continue</c>, a target ordered only <c>After</c> a failed one still runs otherwise.
    /// </summary>
    public IReadOnlyCollection<string> FailedTargets => _failed.Keys.ToList();

    internal void MarkFailed(string target) => _failed.TryAdd(target, 0);

    internal string? CurrentTarget
    {
        get => _currentTarget.Value;
        set => _currentTarget.Value = value;
    }

    internal IReadOnlyDictionary<string, string> OutputsOf(string target) =>
        _outputs.TryGetValue(target, out var outputs) ? new SortedDictionary<string, string>(outputs, StringComparer.Ordinal) : new Dictionary<string, string>();

    /// <summary>Runs the build with this process's arguments and environment; returns the exit code (0, 1, 2, or 130 / 143 when Ctrl+C / SIGTERM cancelled it).</summary>
    /// <remarks>
    /// The default targets are plain delegates, not expression trees: <c>x => x.Compile</c> reads the target property,
    /// whose lambda identifies the target. Building an expression tree would load System.Linq.Expressions on every
    /// start, before the first line is printed.
    /// </remarks>
    protected static int Execute<T>(params Func<T, Target>[] defaultTargets)
        where T : BuildBase, new()
    {
        var build = new T();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        var args = Environment.GetCommandLineArgs();
        return BuildRunner.Run(
            build,
            args[1..],
            new RunContext(environment, Console.Out, Directory.GetCurrentDirectory(), !Console.IsOutputRedirected, CancelOnCtrlC: true),
            DefaultTargetNames(build, defaultTargets));
    }

    internal static string[] DefaultTargetNames<T>(T build, IReadOnlyList<Func<T, Target>> defaultTargets)
        where T : BuildBase
    {
        var names = new string[defaultTargets.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Planning.TargetFactory.NameOf(build, defaultTargets[i](build))
                ?? throw new ArgumentException("A default target is written as x => x.Compile, naming a Target property.", nameof(defaultTargets));
        }
        return names;
    }
}
