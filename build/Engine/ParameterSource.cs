namespace CloudAge.Engine;

/// <summary>Where a parameter's value came from.</summary>
public enum ParameterOrigin
{
    /// <summary>Not given anywhere (or given empty in the environment or a file): the member's default.</summary>
    Default,
    CommandLine,
    Environment,
    File,
}

/// <summary>
/// Where a parameter's value came from, named the way the user gave it, so an error found later (inside a target) can
/// say which flag, variable or parameters-file key to fix: <see cref="BuildBase.ParameterSourceOf"/>.
/// </summary>
/// <param name="Origin">Which source.</param>
/// <param name="Name">The flag with its dashes (<c>--local-port</c>), the environment variable as it is spelt
/// (<c>LOCAL_PORT</c>), or the parameters-file key (<c>LocalPort</c>); for <see cref="ParameterOrigin.Default"/> the flag.</param>
/// <param name="File">The parameters file's name (<c>parameters.json</c>) when <see cref="Origin"/> is File.</param>
public sealed record ParameterSource(ParameterOrigin Origin, string Name, string? File = null)
{
    /// <summary><c>--local-port</c>, <c>LOCAL_PORT</c> or <c>"LocalPort" in parameters.json</c>: what to put in brackets after a value.</summary>
    public override string ToString() => Origin == ParameterOrigin.File ? $"\"{UserText.Printable(Name)}\" in {File}" : UserText.Printable(Name);

    /// <summary>The words the engine's own messages use: <c>the command line (--local-port)</c>, <c>the environment (LOCAL_PORT)</c>, <c>parameters.json ("LocalPort")</c>.</summary>
    internal string Description => Origin switch
    {
        ParameterOrigin.CommandLine => $"the command line ({Name})",
        ParameterOrigin.Environment => $"the environment ({UserText.Printable(Name)})",
        ParameterOrigin.File => $"{File} (\"{UserText.Printable(Name)}\")",
        _ => $"the default ({Name})",
    };
}
