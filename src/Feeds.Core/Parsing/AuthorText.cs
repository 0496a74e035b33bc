using System.Text.RegularExpressions;

namespace Feeds.Core.Parsing;

/// <summary>
/// Splits an author written as one string (RSS <c>author</c>, <c>dc:creator</c>, <c>itunes:author</c>) into name and
/// e-mail address: <c>jane@example.org (Jane Doe)</c>, <c>Jane Doe (jane@example.org)</c>, <c>Jane Doe &lt;jane@example.org&gt;</c>,
/// an address alone or a name alone.
/// </summary>
internal static partial class AuthorText
{
    public static ParsedAuthor? Parse(string? text)
    {
        var value = FeedHtml.CollapseWhitespace(text);
        if (value is null)
        {
            return null;
        }

        var match = value.Contains('@', StringComparison.Ordinal) ? Address().Match(value) : Match.Empty;
        if (!match.Success)
        {
            return new ParsedAuthor(value);
        }

        var email = match.Value;
        var name = value.Remove(match.Index, match.Length)
            .Replace("mailto:", string.Empty, StringComparison.OrdinalIgnoreCase)
            .Replace("()", string.Empty, StringComparison.Ordinal)
            .Replace("<>", string.Empty, StringComparison.Ordinal)
            .Trim();
        if (name.StartsWith('('))
        {
            name = name[1..];
        }

        if (name.EndsWith(')'))
        {
            name = name[..^1];
        }

        return new ParsedAuthor(FeedHtml.CollapseWhitespace(name), email);
    }

    [GeneratedRegex(@"[A-Za-z0-9_.+\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,63}", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
