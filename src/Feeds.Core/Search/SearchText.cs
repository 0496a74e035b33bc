using System.Globalization;
using System.Text;

namespace Feeds.Core.Search;

/// <summary>
/// How text is cut into the words search compares: letters and digits only, lower case, without diacritics. Both the
/// index and the query go through here, so SQLite and PostgreSQL see the same words and no query text ever reaches an
/// engine's own query syntax.
/// </summary>
public static class SearchText
{
    /// <summary>The words of <paramref name="text"/>, in order.</summary>
    public static List<string> Words(string? text)
    {
        var words = new List<string>();
        foreach (var (start, length) in Spans(text))
        {
            words.Add(Fold(text!.AsSpan(start, length)));
        }

        return words;
    }

    /// <summary>The words of <paramref name="text"/> joined by spaces: what the index stores for a field.</summary>
    public static string Normalize(string? text) => string.Join(' ', Words(text));

    /// <summary>Where each word of <paramref name="text"/> starts and how long it is, in the original text.</summary>
    public static IEnumerable<(int Start, int Length)> Spans(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsWordChar(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return (start, i - start);
                start = -1;
            }
        }
    }

    /// <summary>One word in the form the index keeps: lower case, diacritics removed.</summary>
    public static string Fold(ReadOnlySpan<char> word)
    {
        // Most words are ASCII, which has no diacritics: lower case is all there is to do, without normalising twice.
        if (Ascii.IsValid(word))
        {
            Span<char> lower = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
            Ascii.ToLower(word, lower, out _);
            return new string(lower);
        }

        var decomposed = word.ToString().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
