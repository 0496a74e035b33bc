using System.Globalization;
using System.Text;

namespace Feeds.Contracts.Text;

/// <summary>
/// Turns display text into URL path segments: lower-case letters, digits and single hyphens.
/// Accents are folded to their base letter ("Café" → "cafe"); letters of other scripts are kept ("日本語").
/// </summary>
public static class Slugs
{
    public const int MaxTagLength = 64;
    public const int MaxPostSlugLength = 80;

    /// <summary>The slug of a tag, or an empty string when the name has no letter or digit.</summary>
    public static string ForTag(string name) => Slugify(name, MaxTagLength);

    /// <summary>The readable part of a post's permalink; "post" when the title yields nothing.</summary>
    public static string ForPost(string title)
    {
        var slug = Slugify(title, MaxPostSlugLength);
        return slug.Length == 0 ? "post" : slug;
    }

    /// <summary>
    /// Whether this site could have given a post <paramref name="slug"/>: a title's slug (<see cref="ForPost"/> leaves it
    /// as it is), perhaps followed by the number ("-2", "-3" …) that sets apart a later post of the same title, which may
    /// take it past <see cref="MaxPostSlugLength"/>. An imported post keeps its slug only when it is one of these, as every
    /// slug lookup relies on slugs holding nothing but lower-case letters, digits and single hyphens.
    /// </summary>
    public static bool IsPostSlug(string slug)
    {
        // Normalising throws on an unpaired surrogate, which enumerating runes reports as U+FFFD, no letter either way.
        foreach (var rune in slug.EnumerateRunes())
        {
            if (rune == Rune.ReplacementChar)
            {
                return false;
            }
        }

        if (IsTitleSlug(slug))
        {
            return true;
        }

        var hyphen = slug.LastIndexOf('-');
        return hyphen > 0 && IsNamesakeNumber(slug.AsSpan(hyphen + 1)) && IsTitleSlug(slug[..hyphen]);
    }

    private static bool IsTitleSlug(string slug) => slug.Length <= MaxPostSlugLength && ForPost(slug) == slug;

    /// <summary>2 or more, written without leading zeros, as namesakes are numbered; nine digits are more than any site needs.</summary>
    private static bool IsNamesakeNumber(ReadOnlySpan<char> digits) =>
        digits.Length is > 0 and <= 9 && digits[0] is >= '1' and <= '9' && digits is not "1" && !digits.ContainsAnyExceptInRange('0', '9');

    public static string Slugify(string text, int maxLength)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(Math.Min(decomposed.Length, maxLength));
        var pendingHyphen = false;
        var runes = decomposed.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            if (SpelledSuffix(runes, i) is { } spelled)
            {
                if (builder.Length + spelled.Length > maxLength)
                {
                    break;
                }

                builder.Append(spelled);
                continue;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (Rune.IsLetterOrDigit(rune))
            {
                var lower = Rune.ToLowerInvariant(rune);
                if (pendingHyphen && builder.Length > 0)
                {
                    if (builder.Length + 1 + lower.Utf16SequenceLength > maxLength)
                    {
                        break;
                    }

                    builder.Append('-');
                }

                if (builder.Length + lower.Utf16SequenceLength > maxLength)
                {
                    break;
                }

                builder.Append(lower.ToString());
                pendingHyphen = false;
            }
            else if (category != UnicodeCategory.Format)
            {
                pendingHyphen = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// "C#", "F#" and "C++" name different things than "C" and "F": a trailing <c>#</c> or <c>+</c> right after a
    /// word is spelled out ("csharp", "cplusplus"), while a <c>+</c> between words stays a separator ("AI+LLMs").
    /// </summary>
    private static string? SpelledSuffix(Rune[] runes, int i)
    {
        var word = runes[i].Value switch { '#' => "sharp", '+' => "plus", _ => null };
        if (word is null || i == 0 || !(Rune.IsLetterOrDigit(runes[i - 1]) || runes[i - 1] == runes[i]))
        {
            return null;
        }

        var next = i + 1;
        while (next < runes.Length && runes[next] == runes[i])
        {
            next++;
        }

        return next < runes.Length && Rune.IsLetterOrDigit(runes[next]) ? null : word;
    }
}
