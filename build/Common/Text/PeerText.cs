namespace CloudAge.Common.Text;

/// <summary>
/// Text a peer sent (an error body, a header, a message) made safe to print: one line, control characters escaped, and
/// bounded. A newline from a server would otherwise start a line of our own log, and on GitHub Actions a line that
/// starts with <c>::</c> is a runner command (FACTS section 7).
/// </summary>
public static class PeerText
{
    public static string OneLine(string? text, int maxLength = 300)
    {
        if (string.IsNullOrEmpty(text))
            return string.Empty;
        text = text.Trim();
        var builder = new System.Text.StringBuilder(Math.Min(text.Length, maxLength) + 16);
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append("...");
                break;
            }
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => " ",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }
}
