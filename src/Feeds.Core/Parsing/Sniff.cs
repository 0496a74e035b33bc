namespace Feeds.Core.Parsing;

/// <summary>Looks at the start of a document to tell feeds from HTML pages without parsing it.</summary>
internal static class Sniff
{
    /// <summary>The local name of the first element (or of the DOCTYPE when <paramref name="doctype"/>), skipping prolog, comments and processing instructions.</summary>
    public static string? FirstName(ReadOnlySpan<char> text, out bool doctype)
    {
        doctype = false;
        var i = 0;
        while (true)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == '\uFEFF'))
            {
                i++;
            }

            var rest = text[i..];
            if (rest.Length < 2 || rest[0] != '<')
            {
                return null;
            }

            if (rest.StartsWith("<?") || rest.StartsWith("<!--"))
            {
                var close = rest.StartsWith("<?") ? "?>" : "-->";
                var end = rest.IndexOf(close, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                i += end + close.Length;
                continue;
            }

            if (rest.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase))
            {
                doctype = true;
                return Name(rest[9..].TrimStart());
            }

            return Name(rest[1..]);
        }
    }

    public static bool IsHtml(ReadOnlySpan<char> text)
    {
        var name = FirstName(text, out _);
        return name is not null && (name.Equals("html", StringComparison.OrdinalIgnoreCase)
            || name.Equals("head", StringComparison.OrdinalIgnoreCase)
            || name.Equals("body", StringComparison.OrdinalIgnoreCase));
    }

    private static string? Name(ReadOnlySpan<char> text)
    {
        var end = 0;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is ':' or '_' or '-' or '.'))
        {
            end++;
        }

        if (end == 0)
        {
            return null;
        }

        var name = text[..end];
        var colon = name.LastIndexOf(':');
        return (colon >= 0 ? name[(colon + 1)..] : name).ToString();
    }
}
