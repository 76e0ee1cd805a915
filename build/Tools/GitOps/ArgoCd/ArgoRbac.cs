using System.Text.RegularExpressions;

namespace CloudAge.Tools.GitOps.ArgoCd;

/// <summary>
/// The <c>policy.csv</c> line (argocd-rbac-cm) that grants an action on one Application, read from Argo CD's refusal.
/// Argo CD words it in util/rbac/rbac.go, <c>Enforcer.EnforceErr</c>: "permission denied: applications, &lt;action&gt;,
/// &lt;project&gt;/&lt;application&gt;, sub: &lt;subject&gt;, iat: ...".
/// </summary>
public static partial class ArgoRbac
{
    /// <param name="action">The action the call needed when the message does not name one.</param>
    /// <param name="project">The Application's <c>spec.project</c>, when it has been read.</param>
    public static (string Action, string Hint) Explain(string message, string application, string action, string? project)
    {
        var subject = "";
        if (Denied().Match(message) is { Success: true } match)
        {
            action = match.Groups["action"].Value;
            var qualified = match.Groups["object"].Value;
            var slash = qualified.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
                project = qualified[..slash];
            subject = match.Groups["sub"].Success ? match.Groups["sub"].Value : "";
        }
        var line = Line("<role>", action, project ?? "<project>", application);
        var who = subject.Length > 0 ? $" and bind the token's account to it (`g, {subject}, role:<role>`)" : " and bind the token's account to that role";
        return (action, $"Add `{line}` to policy.csv in the argocd-rbac-cm ConfigMap{who}; docs/argocd-setup.md shows the least-privilege policy.");
    }

    public static string Line(string role, string action, string project, string application) =>
        $"p, role:{role.Replace("role:", "", StringComparison.Ordinal)}, applications, {action}, {project}/{application}, allow";

    [GeneratedRegex(@"permission denied: applications, (?<action>[a-z-]+), (?<object>[^,\s]+)(, sub: (?<sub>[^,]+))?")]
    private static partial Regex Denied();
}
