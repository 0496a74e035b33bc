using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Feeds.Data.Search;

/// <summary>A keyset position in search results: the rank, sort time and id of the last hit of the previous page.</summary>
public sealed record SearchCursor(double Rank, string SortAt, Guid Id)
{
    // The rank as its bits, so it comes back exactly the value the engine compares, in 16 characters.
    public string Encode() => KeysetCursor.Encode(
        BitConverter.DoubleToInt64Bits(Rank).ToString("x16", CultureInfo.InvariantCulture),
        StoredValues.ParseTime(SortAt).UtcTicks.ToString(CultureInfo.InvariantCulture),
        Id.ToString("N"));

    public static bool TryDecode(string? text, [NotNullWhen(true)] out SearchCursor? cursor)
    {
        cursor = null;
        if (KeysetCursor.TryDecode(text, 3, out var parts)
            && long.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits)
            && BitConverter.Int64BitsToDouble(bits) is var rank && double.IsFinite(rank)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && Guid.TryParseExact(parts[2], "N", out var id))
        {
            cursor = new SearchCursor(rank, StoredValues.ToText(new DateTimeOffset(ticks, TimeSpan.Zero)), id);
        }

        return cursor is not null;
    }
}
