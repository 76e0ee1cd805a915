namespace CloudAge.Workflows.Yaml;

/// <summary>One job: where it runs, what it needs, what it exposes and its steps.</summary>
internal sealed record JobNode(string Id, string Name, string RunsOn, int TimeoutMinutes, IReadOnlyList<StepNode> Steps)
{
    public IReadOnlyList<string> Needs { get; init; } = [];
    public string? If { get; init; }
    public string? EnvironmentName { get; init; }
    public string? EnvironmentUrl { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Outputs { get; init; } = [];

    public void Write(YamlWriter yaml) => yaml.Map(Id, () =>
    {
        yaml.Scalar("name", Name);
        if (Needs.Count > 0)
            yaml.List("needs", Needs);
        if (If is not null)
            yaml.Scalar("if", If);
        yaml.Scalar("runs-on", RunsOn);
        yaml.Scalar("timeout-minutes", TimeoutMinutes);
        if (EnvironmentName is not null)
        {
            yaml.Map("environment", () =>
            {
                yaml.Scalar("name", EnvironmentName);
                if (EnvironmentUrl is not null)
                    yaml.Scalar("url", EnvironmentUrl);
            });
        }
        if (Outputs.Count > 0)
            yaml.Map("outputs", () => Outputs.ToList().ForEach(o => yaml.Scalar(o.Key, o.Value)));
        yaml.ListOfMaps("steps", Steps.Select(step => (Action)(() => step.Write(yaml))));
    });
}
