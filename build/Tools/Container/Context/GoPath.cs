namespace CloudAge.Tools.Container.Context;

/// <summary>Go's path.Clean, which Docker applies to every .dockerignore line; its exact output decides what matches.</summary>
internal static class GoPath
{
    public static string Clean(string path)
    {
        if (path.Length == 0)
            return ".";
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                    parts.RemoveAt(parts.Count - 1);
                else if (!rooted)
                    parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        var cleaned = string.Join('/', parts);
        if (rooted)
            return "/" + cleaned;
        return cleaned.Length == 0 ? "." : cleaned;
    }
}
