namespace CloudAge.Workflows.Yaml;

/// <summary>One step of a job: an action (<c>uses</c>) or a command (<c>run</c>).</summary>
internal sealed record StepNode(string Name)
{
    public string? Id { get; init; }
    public string? If { get; init; }
    public PinnedAction? Uses { get; init; }
    public string? Run { get; init; }
    /// <summary>Action inputs; values are strings, ints or bools and keep their YAML type.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> With { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public void Write(YamlWriter yaml)
    {
        yaml.Scalar("name", Name);
        if (Id is not null)
            yaml.Scalar("id", Id);
        if (If is not null)
            yaml.Scalar("if", If);
        if (Uses is not null)
            yaml.Scalar("uses", Uses.Uses, comment: Uses.Version);
        if (With.Count > 0)
        {
            yaml.Map("with", () =>
            {
                foreach (var (key, value) in With)
                {
                    switch (value)
                    {
                        case int number: yaml.Scalar(key, number); break;
                        case bool flag: yaml.Scalar(key, flag); break;
                        default: yaml.Scalar(key, (string)value); break;
                    }
                }
            });
        }
        if (Run is not null)
            yaml.Scalar("run", Run);
        if (Env.Count > 0)
            yaml.Map("env", () => Env.ToList().ForEach(e => yaml.Scalar(e.Key, e.Value)));
    }
}
