using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CloudAge.Build.Tests.Fixtures;

/// <summary>
/// Which namespace of an assembly uses which, read from the compiled metadata (nothing is loaded or run): base
/// types, interfaces, field, method and local signatures, and every type, method or field a method body names.
/// A compiler-generated type (a lambda's closure) counts as its outer type. Each edge keeps one example pair of
/// types so a failure says where the reference is.
/// </summary>
public sealed class NamespaceGraph
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private readonly MetadataReader _reader;
    private readonly string _prefix;

    private NamespaceGraph(MetadataReader reader, string prefix)
    {
        _reader = reader;
        _prefix = prefix;
    }

    /// <summary>From namespace -> to namespace -> an example "FromType -> ToType".</summary>
    public Dictionary<string, Dictionary<string, string>> Edges { get; } = new(StringComparer.Ordinal);

    public static NamespaceGraph Read(string assemblyPath, string namespacePrefix)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var graph = new NamespaceGraph(pe.GetMetadataReader(), namespacePrefix);
        graph.Scan(pe);
        return graph;
    }

    /// <summary>A cycle among the namespaces (each edge's start), leaving out <paramref name="ignoring"/>; null when there is none.</summary>
    public List<string>? FindCycle(string ignoring)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();
        foreach (var start in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (start != ignoring && Visit(start) is { } cycle)
                return cycle;
        }
        return null;

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in Edges.GetValueOrDefault(node)?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>())
            {
                if (next == ignoring)
                    continue;
                if (state.GetValueOrDefault(next) == 1)
                    return path[path.IndexOf(next)..];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                    return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    public string Describe(IReadOnlyList<string> cycle) =>
        string.Join("; ", cycle.Select((from, i) => $"{from} -> {cycle[(i + 1) % cycle.Count]} ({Edges[from][cycle[(i + 1) % cycle.Count]]})"));

    private void Scan(PEReader pe)
    {
        var provider = new TypeCollector(this);
        foreach (var handle in _reader.TypeDefinitions)
        {
            var type = _reader.GetTypeDefinition(handle);
            var from = handle;
            var found = new HashSet<TypeDefinitionHandle>();
            provider.Target = found;
            if (!type.BaseType.IsNil)
                AddType(type.BaseType, found);
            foreach (var implementation in type.GetInterfaceImplementations())
                AddType(_reader.GetInterfaceImplementation(implementation).Interface, found);
            foreach (var field in type.GetFields())
                _reader.GetFieldDefinition(field).DecodeSignature(provider, null);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = _reader.GetMethodDefinition(methodHandle);
                method.DecodeSignature(provider, null);
                if (method.RelativeVirtualAddress != 0)
                    ScanBody(pe.GetMethodBody(method.RelativeVirtualAddress), found, provider);
            }
            foreach (var target in found)
                AddEdge(from, target);
        }
    }

    private void ScanBody(MethodBodyBlock body, HashSet<TypeDefinitionHandle> found, TypeCollector provider)
    {
        if (!body.LocalSignature.IsNil)
            _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int first = il.ReadByte();
            var code = first == 0xFE ? unchecked((short)(0xFE00 | il.ReadByte())) : (short)first;
            switch (Operands[code])
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: il.Offset += 1; break;
                case OperandType.InlineVar: il.Offset += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: il.Offset += 8; break;
                case OperandType.InlineSwitch:
                    var branches = il.ReadInt32(); // read first: "Offset += 4 * ReadInt32()" would use the offset before the read
                    il.Offset += 4 * branches;
                    break;
                case OperandType.InlineTok or OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField:
                    var token = il.ReadInt32();
                    if ((token >> 24) is 0x70 or 0 or > 0x2C)
                        throw new InvalidOperationException($"IL decoding lost its place at offset {il.Offset} (opcode 0x{code:X4}, operand 0x{token:X8}).");
                    AddToken(MetadataTokens.EntityHandle(token), found, provider);
                    break;
                default: il.Offset += 4; break; // InlineI, InlineBrTarget, InlineString, InlineSig, ShortInlineR
            }
        }
    }

    private void AddToken(EntityHandle handle, HashSet<TypeDefinitionHandle> found, TypeCollector provider)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition or HandleKind.TypeSpecification:
                AddType(handle, found);
                break;
            case HandleKind.MethodDefinition:
                found.Add(_reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.FieldDefinition:
                found.Add(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MethodSpecification:
                var specification = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                specification.DecodeSignature(provider, null);
                AddToken(specification.Method, found, provider);
                break;
            case HandleKind.MemberReference:
                AddType(_reader.GetMemberReference((MemberReferenceHandle)handle).Parent, found);
                break;
        }
    }

    private void AddType(EntityHandle handle, HashSet<TypeDefinitionHandle> found)
    {
        if (handle.Kind == HandleKind.TypeDefinition)
            found.Add((TypeDefinitionHandle)handle);
        else if (handle.Kind == HandleKind.TypeSpecification)
            _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(new TypeCollector(this) { Target = found }, null);
    }

    private void AddEdge(TypeDefinitionHandle from, TypeDefinitionHandle to)
    {
        var (fromNamespace, fromName) = Outer(from);
        var (toNamespace, toName) = Outer(to);
        if (fromNamespace == toNamespace || !fromNamespace.StartsWith(_prefix, StringComparison.Ordinal) || !toNamespace.StartsWith(_prefix, StringComparison.Ordinal))
            return;
        if (!Edges.TryGetValue(fromNamespace, out var targets))
            Edges[fromNamespace] = targets = new(StringComparer.Ordinal);
        targets.TryAdd(toNamespace, $"{fromName} uses {toName}");
    }

    private (string Namespace, string Name) Outer(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        while (type.IsNested)
            type = _reader.GetTypeDefinition(type.GetDeclaringType());
        return (_reader.GetString(type.Namespace), _reader.GetString(type.Name));
    }

    /// <summary>Collects the assembly's own types out of any signature.</summary>
    private sealed class TypeCollector(NamespaceGraph graph) : ISignatureTypeProvider<object?, object?>
    {
        public HashSet<TypeDefinitionHandle> Target { get; set; } = [];

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            Target.Add(handle);
            return null;
        }

        public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            graph.AddType(handle, Target);
            return null;
        }

        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => null;
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
        public object? GetSZArrayType(object? elementType) => null;
        public object? GetArrayType(object? elementType, ArrayShape shape) => null;
        public object? GetByReferenceType(object? elementType) => null;
        public object? GetPointerType(object? elementType) => null;
        public object? GetPinnedType(object? elementType) => null;
        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;
        public object? GetGenericMethodParameter(object? genericContext, int index) => null;
        public object? GetGenericTypeParameter(object? genericContext, int index) => null;
        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
    }
}
