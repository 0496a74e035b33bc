using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Feeds.Data.Posts;

/// <summary>A keyset position: the sort time and id of the last post of the previous page, opaque to clients.</summary>
public sealed record PostCursor(DateTimeOffset SortAt, Guid Id)
{
    public string Encode() => KeysetCursor.Encode(SortAt.UtcTicks.ToString(CultureInfo.InvariantCulture), Id.ToString("N"));

    public static bool TryDecode(string? text, [NotNullWhen(true)] out PostCursor? cursor)
    {
        cursor = null;
        if (KeysetCursor.TryDecode(text, 2, out var parts)
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && Guid.TryParseExact(parts[1], "N", out var id))
        {
            cursor = new PostCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }

        return cursor is not null;
    }
}
