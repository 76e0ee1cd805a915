using CloudAge.Common.Yaml;

namespace CloudAge.Tools.Validation.Schemas;

/// <summary>A small hand-written schema language for kinds without a model package: scalars, lists, maps and objects.</summary>
internal abstract record FieldSchema
{
    public static readonly FieldSchema Text = new ScalarSchema("a string", [JsonScalar.String], _ => true);
    public static readonly FieldSchema Flag = new ScalarSchema("a boolean (true or false)", [JsonScalar.Boolean], _ => true);
    public static readonly FieldSchema Integer = new ScalarSchema("an integer", [JsonScalar.Number], v => long.TryParse(v, out _));

    /// <summary>intstr.IntOrString, <c>x-kubernetes-int-or-string</c> in a CRD: a number or a string.</summary>
    public static readonly FieldSchema IntOrString = new ScalarSchema("an integer or a string", [JsonScalar.Number, JsonScalar.String], _ => true);

    /// <summary>Free-form content (Helm values, patches, status) that the owning tool checks itself.</summary>
    public static readonly FieldSchema Any = new AnySchema();

    public static FieldSchema ListOf(FieldSchema item) => new ListSchema(item);

    public static FieldSchema MapOf(FieldSchema value) => new MapSchema(value);

    public static readonly FieldSchema StringMap = MapOf(Text);

    public static ObjectSchema Object(params (string Name, FieldSchema Schema)[] fields) =>
        new(fields.ToDictionary(f => f.Name, f => f.Schema, StringComparer.Ordinal), []);
}

/// <summary>
/// A scalar of one of <paramref name="Types"/>, the JSON types its field takes once the YAML is read as kubectl, the API
/// server and kustomize read it (go-yaml v2, see <see cref="GoYamlScalar"/>), whose text <paramref name="Accepts"/> then checks.
/// </summary>
internal sealed record ScalarSchema(string Expected, JsonScalar[] Types, Func<string, bool> Accepts) : FieldSchema;

internal sealed record AnySchema : FieldSchema;

internal sealed record ListSchema(FieldSchema Item) : FieldSchema;

internal sealed record MapSchema(FieldSchema Value) : FieldSchema;

internal sealed record ObjectSchema(IReadOnlyDictionary<string, FieldSchema> Fields, IReadOnlyList<string> Required) : FieldSchema
{
    public ObjectSchema Requires(params string[] names) => this with { Required = names };
}
