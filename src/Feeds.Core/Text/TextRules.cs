using System.Text;

namespace Feeds.Core.Text;

/// <summary>
/// What text the service accepts and how text is made safe for XML 1.0.
/// Stored text must round-trip exactly, so text that cannot (lone surrogates) or that no person
/// types on purpose (control characters, noncharacters) is rejected at the door rather than altered.
/// </summary>
public static class TextRules
{
    /// <summary>Why <paramref name="text"/> is unacceptable, or null when it is fine.</summary>
    /// <param name="allowLineBreaks">Whether tab, line feed and carriage return are allowed (multi-line fields).</param>
    public static string? Problem(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return $"contains an unpaired surrogate (U+{(int)c:X4}) at position {i}.";
            }

            if (allowLineBreaks && c is '\t' or '\n' or '\r')
            {
                continue;
            }

            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4} at position {i}.";
            }

            if (c is '\uFFFE' or '\uFFFF')
            {
                return $"contains the noncharacter U+{(int)c:X4} at position {i}.";
            }
        }

        return null;
    }

    /// <summary>True when every character of <paramref name="text"/> may appear in an XML 1.0 document.</summary>
    public static bool IsXmlSafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!IsXmlChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="text"/> without the characters XML 1.0 forbids: C0 controls other than tab, line feed
    /// and carriage return, unpaired surrogates, U+FFFE and U+FFFF. Returns the same instance when nothing is dropped.
    /// </summary>
    public static string ForXml(string text)
    {
        if (IsXmlSafe(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (IsXmlChar(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
}
