using CloudAge.Common.Text;

namespace CloudAge.Engine.Parameters;

/// <summary>Turns the text of a parameter into its declared type, or says which values would have been accepted.</summary>
internal static class ValueConverter
{
    public static object? Convert(ParameterDescriptor parameter, IReadOnlyList<string> values, ParameterSource source, AbsolutePath root)
    {
        var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
        if (type.IsArray)
        {
            var elementType = type.GetElementType()!;
            var items = values.SelectMany(v => Split(v, parameter.Separator)).ToList();
            var array = Array.CreateInstance(elementType, items.Count);
            for (var i = 0; i < items.Count; i++)
                array.SetValue(ConvertOne(parameter, elementType, items[i], source, root), i);
            return array;
        }
        if (values.Count > 1)
            throw Fail(parameter, source, string.Join(' ', values), "a single value");
        return ConvertOne(parameter, type, values.Count == 0 ? string.Empty : values[0], source, root);
    }

    private static string[] Split(string value, char separator) =>
        separator == default
            ? value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static object ConvertOne(ParameterDescriptor parameter, Type type, string text, ParameterSource source, AbsolutePath root)
    {
        if (type == typeof(string))
        {
            Check(parameter, source, text);
            return text;
        }
        if (type == typeof(bool))
        {
            return text.Trim().ToLowerInvariant() switch
            {
                // No "" here: a bare --flag reaches this as "true", and an empty value from the environment or a file is
                // "not given" before it gets here (ParameterBinder); an empty --flag= is refused like any other type's.
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw Fail(parameter, source, text, "true or false"),
            };
        }
        if (type == typeof(int))
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
                throw Fail(parameter, source, text, parameter.Between is { } b ? $"a whole number from {b.Minimum} to {b.Maximum}" : "a whole number such as 3");
            if (parameter.Between is { } range && (number < range.Minimum || number > range.Maximum))
                throw Fail(parameter, source, text, $"a whole number from {range.Minimum} to {range.Maximum}");
            return number;
        }
        if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => DidYouMean.Normalize(n) == DidYouMean.Normalize(text));
            return match is not null
                ? Enum.Parse(type, match)
                : throw Fail(parameter, source, text, "one of " + string.Join(", ", Enum.GetNames(type)));
        }
        if (type == typeof(AbsolutePath))
        {
            if (text.Length == 0 || text.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || text.Contains('\0', StringComparison.Ordinal))
                throw Fail(parameter, source, text, "a file or folder path such as artifacts/out");
            return new AbsolutePath(Path.Combine(root.Value, text));
        }
        if (type == typeof(TimeSpan))
        {
            return ParseDuration(text) is { } span && span > TimeSpan.Zero && span <= MaxDuration
                ? span
                : throw Fail(parameter, source, text, $"a duration greater than 0 and at most {MaxDuration.TotalHours:0} hours, such as 90s, 5m, 1h30m or 00:05:00");
        }
        if (type == typeof(Uri))
        {
            var schemes = parameter.UriSchemes?.Schemes ?? DefaultSchemes;
            var example = parameter.UriSchemes?.Example ?? "https://example.com";
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
                && (uri.Scheme is "unix" or "npipe" ? NamesSocket(uri) : uri.Scheme is "file" || uri.Host.Length > 0)
                ? uri
                : throw Fail(parameter, source, text, $"an absolute URL ({string.Join(", ", schemes.Select(x => x + "://"))}) such as {example}");
        }
        throw new InvalidOperationException($"Parameter '{parameter.Name}' has type {type.Name}, which the engine cannot bind. Use string, bool, int, an enum, AbsolutePath, TimeSpan, Uri or an array of those.");
    }

    private static readonly string[] DefaultSchemes = ["http", "https", "ssh", "file"];

    // A socket or pipe URL names its file by an absolute path: unix:///var/run/docker.sock, npipe:////./pipe/docker_engine.
    // unix://, unix:/// and unix://docker.sock name none (the host part is not a path), and Docker.DotNet's handler
    // (Docker.DotNet.Unix DockerHandlerFactory) turns the path's last segment into a host name, failing on such a URL with
    // a bare UriFormatException when the target runs.
    private static bool NamesSocket(Uri uri) =>
        uri.Scheme == "npipe" ? uri.AbsolutePath.Length > 1 : uri.Host.Length == 0 && uri.AbsolutePath.Length > 1 && !uri.AbsolutePath.EndsWith('/');

    /// <summary>The longest wait any duration parameter may ask for: longer is a typo (99999999999h), not a plan.</summary>
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>90s, 5m, 1h30m, 1.5h, 00:05:00 or plain seconds; null when the text is none of those or is not finite.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
            return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) ? span : null;
        // Seconds are summed as a double and range-checked before a TimeSpan is made: TimeSpan.FromSeconds throws on NaN,
        // Infinity and anything beyond about 29,000 years.
        double seconds;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var plain))
        {
            seconds = plain;
        }
        else
        {
            seconds = 0;
            var number = string.Empty;
            var any = false;
            foreach (var c in text)
            {
                if (char.IsAsciiDigit(c) || c == '.')
                {
                    number += c;
                    continue;
                }
                if (number.Length == 0 || !double.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value))
                    return null;
                var unit = c switch
                {
                    'h' => 3600.0,
                    'm' => 60.0,
                    's' => 1.0,
                    _ => double.NaN,
                };
                if (double.IsNaN(unit))
                    return null;
                seconds += value * unit;
                number = string.Empty;
                any = true;
            }
            if (!any || number.Length > 0)
                return null;
        }
        return double.IsFinite(seconds) && Math.Abs(seconds) <= MaxDuration.TotalSeconds * 2 ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static void Check(ParameterDescriptor parameter, ParameterSource source, string text)
    {
        if (parameter.Pattern is { } pattern
            && !System.Text.RegularExpressions.Regex.IsMatch(text, $"^(?:{pattern.Regex})$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
            throw Fail(parameter, source, text, pattern.Expected);
    }

    private static UsageException Fail(ParameterDescriptor parameter, ParameterSource source, string text, string accepted)
    {
        var shown = parameter.IsSecret ? Common.Secrets.SecretMasker.Mask : $"'{UserText.Printable(text)}'";
        // The flag is named once: the command line source already says it.
        var flag = source.Origin == ParameterOrigin.CommandLine ? string.Empty : $" (--{parameter.CommandLineName})";
        return new UsageException($"Parameter '{parameter.Name}'{flag} from {source.Description}: {shown} is not valid. Expected {accepted}.");
    }

    /// <summary>A duration as a user would type it: 10m, 2h, 90s (00:00:01.5 beyond whole seconds).</summary>
    internal static string FormatDuration(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)span.TotalHours}h"
        : span.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)span.TotalMinutes}m"
        : span.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{(long)span.TotalSeconds}s"
        : span.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
