using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Feeds.Data.Search;

/// <summary>A keyset position in search results: the rank, sort time and id of the last hit of the previous page.</summary>
public sealed record SearchCursor(double Rank, string SortAt, Guid Id)
{
    public string Encode() => KeysetCursor.Encode(Rank.ToString("R", CultureInfo.InvariantCulture), SortAt, Id.ToString("N"));

    public static bool TryDecode(string? text, [NotNullWhen(true)] out SearchCursor? cursor)
    {
        cursor = null;
        if (KeysetCursor.TryDecode(text, 3, out var parts)
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var rank) && double.IsFinite(rank)
            && DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            && Guid.TryParseExact(parts[2], "N", out var id))
        {
            cursor = new SearchCursor(rank, parts[1], id);
        }

        return cursor is not null;
    }
}
