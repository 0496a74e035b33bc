namespace Feeds.Core.Posts;

public static class Permalinks
{
    /// <summary><c>/yyyy/mm/dd/slug</c>, in UTC. Written digit by digit: a feed builds one per entry.</summary>
    public static string PathFor(DateTimeOffset date, string slug)
    {
        var utc = date.UtcDateTime;
        return string.Create(12 + slug.Length, (utc, slug), static (path, state) =>
        {
            var (day, slug) = state;
            path[0] = '/';
            WriteDigits(path.Slice(1, 4), day.Year);
            path[5] = '/';
            WriteDigits(path.Slice(6, 2), day.Month);
            path[8] = '/';
            WriteDigits(path.Slice(9, 2), day.Day);
            path[11] = '/';
            slug.CopyTo(path[12..]);
        });
    }

    /// <summary>Writes <paramref name="value"/> with leading zeros into all of <paramref name="destination"/>.</summary>
    internal static void WriteDigits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
