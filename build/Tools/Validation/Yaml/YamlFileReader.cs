using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CloudAge.Tools.Validation.Yaml;

/// <summary>Reads one YAML file into documents; anything unreadable becomes a finding, never an exception.</summary>
internal static class YamlFileReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The documents of the file; none, and at least one finding, when the file cannot be read as YAML.</summary>
    public static IReadOnlyList<YamlDocumentSource> Read(string fullPath, string file, FindingList findings)
    {
        var documents = new List<YamlDocumentSource>();
        return Read(fullPath, file, findings, documents.Add) ? documents : [];
    }

    /// <summary>
    /// Hands each document to <paramref name="onDocument"/> as soon as it is parsed. False, with at least one
    /// finding, when the file holds no document or cannot be read as YAML; documents handed over before a later
    /// error are then to be dropped by the caller, as if the file had none.
    /// </summary>
    public static bool Read(string fullPath, string file, FindingList findings, Action<YamlDocumentSource> onDocument)
    {
        if (!TryReadText(fullPath, out var text))
        {
            findings.Add(file, 1, 1, RuleIds.FileNotText,
                "is not UTF-8 text (binary content?); only YAML manifests belong in this folder");
            return false;
        }

        var recorder = new RecordingParser(new Parser(new StringReader(text)));
        var count = 0;
        try
        {
            recorder.MoveNext(); // StreamStart
            while (recorder.MoveNext() && recorder.Current is DocumentStart)
            {
                var stream = new YamlStream();
                var document = new OneDocumentParser(recorder);
                stream.Load(document);
                onDocument(new YamlDocumentSource(file, stream.Documents[0].RootNode, recorder.Documents[count++].Start, document.Events));
            }
        }
        catch (ExcessiveAliasingException e)
        {
            findings.Add(file, e.Start, RuleIds.YamlAliasLimit, $"{e.Message}; write the values out instead of nesting aliases");
            return false;
        }
        catch (TooDeepException e)
        {
            findings.Add(file, e.Start, RuleIds.YamlSyntax, e.Message);
            return false;
        }
        catch (YamlException e) when (e.Message.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            findings.Add(file, e.Start, RuleIds.YamlDuplicateKey,
                $"{e.Message.Replace("Duplicate key", "duplicate key", StringComparison.Ordinal)}: a key may appear once per mapping; the API server would keep only one of the values");
            return false;
        }
        catch (YamlException e)
        {
            ReportSyntaxError(file, text, e.Start, e.Message, findings);
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some unterminated flow collections.
            ReportSyntaxError(file, text, recorder.LastMark,
                "a [ or { is not closed or a quote is not ended; parsing stopped after this point", findings);
            return false;
        }

        if (count == 0)
        {
            findings.Add(file, 1, 1, RuleIds.FileEmpty, "holds no YAML document (the file is empty or only comments)");
            return false;
        }

        return true;
    }

    private static bool TryReadText(string fullPath, out string text)
    {
        text = "";
        var bytes = File.ReadAllBytes(fullPath);
        var offset = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try
        {
            text = StrictUtf8.GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return !text.Contains('\0', StringComparison.Ordinal);
    }

    private static void ReportSyntaxError(string file, string text, Mark at, string message, FindingList findings)
    {
        // YamlDotNet reports a tab in indentation at the start of the enclosing mapping; point at the tab itself.
        var atTab = at.Index < text.Length && text[(int)at.Index] == '\t';
        var lines = message.Contains("tab", StringComparison.OrdinalIgnoreCase) || atTab ? text.Split('\n') : [];
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent && lines[i].Trim().Length > 0)
            {
                findings.Add(file, i + 1, tab + 1, RuleIds.YamlSyntax,
                    "a tab is used for indentation; YAML indentation must use spaces");
                return;
            }
        }

        findings.Add(file, at, RuleIds.YamlSyntax, $"does not parse: {message}");
    }
}
