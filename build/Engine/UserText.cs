namespace CloudAge.Engine;

/// <summary>How the engine echoes text the user typed (a value, a target name, an option) back in a message.</summary>
public static class UserText
{
    /// <summary>The longest echo; the rest is cut and marked with "...".</summary>
    public const int MaxLength = 80;

    /// <summary>
    /// The text on one line of bounded length: control characters (newlines, ANSI escapes) are shown as <c>\u001b</c>,
    /// since they would forge lines or recolour the terminal, and a huge value would flood the output.
    /// </summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="maxLength">A longer cap for text that is long by nature, such as a path.</param>
    public static string Printable(string text, int maxLength = MaxLength)
    {
        var escaped = new System.Text.StringBuilder(Math.Min(text.Length, maxLength + 8));
        foreach (var c in text)
        {
            if (escaped.Length >= maxLength)
                return escaped.ToString(0, maxLength) + "...";
            if (char.IsControl(c))
                escaped.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                escaped.Append(c);
        }
        return escaped.Length > maxLength ? escaped.ToString(0, maxLength) + "..." : escaped.ToString();
    }
}
