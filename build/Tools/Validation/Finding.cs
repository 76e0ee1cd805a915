namespace CloudAge.Tools.Validation;

/// <summary>How bad a finding is. Every rule reports errors today; warnings are there so a rule can be softened without an API change.</summary>
public enum Severity
{
    Error,
    Warning,
}

/// <summary>One problem in one file, at a 1-based line and column, from the rule <paramref name="RuleId"/>.</summary>
/// <param name="File">Path relative to the repository root, with forward slashes.</param>
public sealed record Finding(string File, int Line, int Column, string RuleId, string Message, Severity Severity = Severity.Error)
{
    /// <summary>The compiler-style line editors and CI logs link: <c>file:line:column: rule: message</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {RuleId}: {Message}";
}
