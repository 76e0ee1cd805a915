using CloudAge.Common.Text;

namespace CloudAge.Engine.Parameters;

/// <summary>Turns the text of a parameter into its declared type, or says which values would have been accepted.</summary>
internal static class ValueConverter
{
    public static object? Convert(ParameterDescriptor parameter, IReadOnlyList<string> values, string source, AbsolutePath root)
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

    private static object ConvertOne(ParameterDescriptor parameter, Type type, string text, string source, AbsolutePath root)
    {
        if (type == typeof(string))
            return text;
        if (type == typeof(bool))
        {
            return text.Trim().ToLowerInvariant() switch
            {
                "" or "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw Fail(parameter, source, text, "true or false"),
            };
        }
        if (type == typeof(int))
            return int.TryParse(text, out var number) ? number : throw Fail(parameter, source, text, "a whole number");
        if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => DidYouMean.Normalize(n) == DidYouMean.Normalize(text));
            return match is not null
                ? Enum.Parse(type, match)
                : throw Fail(parameter, source, text, "one of " + string.Join(", ", Enum.GetNames(type)));
        }
        if (type == typeof(AbsolutePath))
            return text.Length > 0 ? new AbsolutePath(Path.Combine(root.Value, text)) : throw Fail(parameter, source, text, "a path");
        if (type == typeof(TimeSpan))
            return ParseDuration(text) ?? throw Fail(parameter, source, text, "a duration such as 90s, 5m, 1h30m or 00:05:00");
        if (type == typeof(Uri))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" or "file"
                ? uri
                : throw Fail(parameter, source, text, "an absolute URL such as https://example.com");
        }
        throw new InvalidOperationException($"Parameter '{parameter.Name}' has type {type.Name}, which the engine cannot bind. Use string, bool, int, an enum, AbsolutePath, TimeSpan, Uri or an array of those.");
    }

    internal static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
            return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) ? span : null;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        var total = TimeSpan.Zero;
        var number = string.Empty;
        var any = false;
        foreach (var c in text)
        {
            if (char.IsDigit(c) || c == '.')
            {
                number += c;
                continue;
            }
            if (number.Length == 0 || !double.TryParse(number, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return null;
            total += c switch
            {
                'h' => TimeSpan.FromHours(value),
                'm' => TimeSpan.FromMinutes(value),
                's' => TimeSpan.FromSeconds(value),
                _ => TimeSpan.MinValue,
            };
            if (total < TimeSpan.Zero)
                return null;
            number = string.Empty;
            any = true;
        }
        return any && number.Length == 0 ? total : null;
    }

    private static UsageException Fail(ParameterDescriptor parameter, string source, string text, string accepted)
    {
        var shown = parameter.IsSecret ? Common.Secrets.SecretMasker.Mask : $"'{text}'";
        return new UsageException($"Parameter '{parameter.Name}' (--{parameter.CommandLineName}) from {source}: {shown} is not valid. Expected {accepted}.");
    }
}
