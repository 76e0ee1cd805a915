namespace CloudAge.Tools.Validation.Schemas;

/// <summary>A small hand-written schema language for kinds without a model package: scalars, lists, maps and objects.</summary>
internal abstract record FieldSchema
{
    public static readonly FieldSchema Text = new ScalarSchema("a string", _ => true);
    public static readonly FieldSchema Flag = new ScalarSchema("a boolean (true or false)", v => v is "true" or "false");
    public static readonly FieldSchema Integer = new ScalarSchema("an integer", v => long.TryParse(v, out _));
    public static readonly FieldSchema IntOrString = Text;

    /// <summary>Free-form content (Helm values, patches, status) that the owning tool checks itself.</summary>
    public static readonly FieldSchema Any = new AnySchema();

    public static FieldSchema ListOf(FieldSchema item) => new ListSchema(item);

    public static FieldSchema MapOf(FieldSchema value) => new MapSchema(value);

    public static readonly FieldSchema StringMap = MapOf(Text);

    public static ObjectSchema Object(params (string Name, FieldSchema Schema)[] fields) =>
        new(fields.ToDictionary(f => f.Name, f => f.Schema, StringComparer.Ordinal), []);
}

internal sealed record ScalarSchema(string Expected, Func<string, bool> Accepts) : FieldSchema;

internal sealed record AnySchema : FieldSchema;

internal sealed record ListSchema(FieldSchema Item) : FieldSchema;

internal sealed record MapSchema(FieldSchema Value) : FieldSchema;

internal sealed record ObjectSchema(IReadOnlyDictionary<string, FieldSchema> Fields, IReadOnlyList<string> Required) : FieldSchema
{
    public ObjectSchema Requires(params string[] names) => this with { Required = names };
}
