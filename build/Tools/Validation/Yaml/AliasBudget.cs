using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>The parse stopped because aliases would expand a document far beyond its own size (a "billion laughs" document).</summary>
internal sealed class ExcessiveAliasingException(Mark start, Mark end, string message) : YamlException(start, end, message);

/// <summary>The parse stopped because collections nest deeper than any manifest does; every later step recurses over depth.</summary>
internal sealed class TooDeepException(Mark start, Mark end, string message) : YamlException(start, end, message);

/// <summary>
/// Counts, per document and without expanding anything, how many nodes a reader that expands aliases would
/// produce, and stops the parse when aliases produce most of them. The rule and its thresholds are go-yaml's
/// (yaml.v3 decode.go, allowedAliasRatio; the fix for CVE-2019-11253 that kubectl and the API server use): a
/// document fails once more than 100 nodes came from aliases, more than 1000 were decoded, and the share that
/// came from aliases exceeds 99% (up to 400,000 nodes), falling to 10% at 4,000,000.
/// </summary>
internal sealed class AliasBudget
{
    private const long RangeLow = 400_000;
    private const long RangeHigh = 4_000_000;

    /// <summary>go-yaml stops at 10,000 levels; 1,000 keeps the recursive steps after parsing (representation model,
    /// deserializer, rules) well inside a thread pool thread's stack, and no manifest comes near it.</summary>
    public const int MaxDepth = 1_000;

    private readonly Dictionary<string, long> anchorSizes = new(StringComparer.Ordinal);
    private readonly Stack<(string? Anchor, long DecodedBefore)> open = new();
    private long decoded;
    private long fromAliases;

    public void Observe(ParsingEvent parsingEvent)
    {
        switch (parsingEvent)
        {
            case DocumentStart:
                anchorSizes.Clear();
                open.Clear();
                decoded = 0;
                fromAliases = 0;
                break;
            case AnchorAlias alias:
                // The alias stands for every node of its anchor's value (0 if unknown: YamlStream reports that itself).
                var size = anchorSizes.GetValueOrDefault(alias.Value.Value);
                decoded = Saturating(decoded, size);
                fromAliases = Saturating(fromAliases, size);
                if (fromAliases > 100 && decoded > 1000 && (double)fromAliases / decoded > AllowedRatio(decoded))
                {
                    throw new ExcessiveAliasingException(alias.Start, alias.End,
                        $"aliases expand this document to more than {decoded:N0} nodes, most of them copies (go-yaml, which kubectl and the API server use, refuses it as \"document contains excessive aliasing\")");
                }

                break;
            case Scalar scalar:
                decoded++;
                if (!scalar.Anchor.IsEmpty)
                {
                    anchorSizes[scalar.Anchor.Value] = 1;
                }

                break;
            case MappingStart mapping:
                Open(mapping, mapping.Anchor);
                break;
            case SequenceStart sequence:
                Open(sequence, sequence.Anchor);
                break;
            case MappingEnd or SequenceEnd when open.Count > 0:
                var (anchor, before) = open.Pop();
                if (anchor is not null)
                {
                    anchorSizes[anchor] = decoded - before;
                }

                break;
        }
    }

    private void Open(ParsingEvent start, AnchorName anchor)
    {
        if (open.Count >= MaxDepth)
        {
            throw new TooDeepException(start.Start, start.End, $"collections nest more than {MaxDepth} levels deep here; no manifest needs that, and the parse stops");
        }

        open.Push((anchor.IsEmpty ? null : anchor.Value, decoded));
        decoded++;
    }

    private static double AllowedRatio(long decodeCount) => decodeCount switch
    {
        <= RangeLow => 0.99,
        >= RangeHigh => 0.10,
        _ => 0.99 - (0.89 * (decodeCount - RangeLow) / (RangeHigh - RangeLow)),
    };

    private static long Saturating(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
