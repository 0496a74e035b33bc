using System.Globalization;
using System.Text.RegularExpressions;

namespace Feeds.Core.Parsing;

/// <summary>
/// Reads the dates feeds actually contain: RFC 822/1123 with their common mistakes (named or military zones,
/// missing seconds or day name, two-digit years, single-digit fields, full month names) and ISO 8601/RFC 3339
/// (fractional seconds, zone with or without colon, date only). A missing zone means UTC. Returns null for anything
/// else rather than guessing.
/// </summary>
public static partial class FeedDates
{
    private static readonly Dictionary<string, int> ZoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["WET"] = 0,
        ["EST"] = -5 * 60, ["EDT"] = -4 * 60, ["CST"] = -6 * 60, ["CDT"] = -5 * 60,
        ["MST"] = -7 * 60, ["MDT"] = -6 * 60, ["PST"] = -8 * 60, ["PDT"] = -7 * 60,
        ["AKST"] = -9 * 60, ["AKDT"] = -8 * 60, ["HST"] = -10 * 60,
        ["BST"] = 60, ["WEST"] = 60, ["CET"] = 60, ["CEST"] = 2 * 60, ["MET"] = 60, ["MEST"] = 2 * 60,
        ["EET"] = 2 * 60, ["EEST"] = 3 * 60, ["MSK"] = 3 * 60, ["IST"] = (5 * 60) + 30,
        ["JST"] = 9 * 60, ["KST"] = 9 * 60, ["AEST"] = 10 * 60, ["AEDT"] = 11 * 60, ["NZST"] = 12 * 60, ["NZDT"] = 13 * 60,
    };

    private static readonly string[] Months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        return char.IsAsciiDigit(text[0]) && text.Length >= 4 && char.IsAsciiDigit(text[3])
            ? ParseIso(text) ?? ParseRfc822(text)
            : ParseRfc822(text);
    }

    private static DateTimeOffset? ParseIso(string text)
    {
        var m = IsoPattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var year = int.Parse(m.Groups["y"].ValueSpan);
        var month = m.Groups["mo"].Success ? int.Parse(m.Groups["mo"].ValueSpan) : 1;
        var day = m.Groups["d"].Success ? int.Parse(m.Groups["d"].ValueSpan) : 1;
        var hour = m.Groups["h"].Success ? int.Parse(m.Groups["h"].ValueSpan) : 0;
        var minute = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].ValueSpan) : 0;
        var second = m.Groups["s"].Success ? int.Parse(m.Groups["s"].ValueSpan) : 0;
        var ticks = 0L;
        if (m.Groups["f"].Success)
        {
            var fraction = m.Groups["f"].Value.PadRight(7, '0')[..7];
            ticks = long.Parse(fraction);
        }

        int? offset = 0;
        if (m.Groups["z"].Success)
        {
            offset = Zone(m.Groups["z"].Value);
        }

        return offset is null ? null : Build(year, month, day, hour, minute, second, offset.Value, ticks);
    }

    private static DateTimeOffset? ParseRfc822(string text)
    {
        var m = Rfc822Pattern().Match(text);
        if (!m.Success)
        {
            m = MonthFirstPattern().Match(text);
            if (!m.Success)
            {
                return null;
            }
        }

        var month = MonthNumber(m.Groups["mon"].Value);
        if (month == 0)
        {
            return null;
        }

        var day = int.Parse(m.Groups["d"].ValueSpan);
        var year = int.Parse(m.Groups["y"].ValueSpan);
        if (m.Groups["y"].Length == 2)
        {
            // RFC 2822's rule for two-digit years.
            year += year < 50 ? 2000 : 1900;
        }
        else if (m.Groups["y"].Length == 3)
        {
            year += 1900;
        }

        var hour = m.Groups["h"].Success ? int.Parse(m.Groups["h"].ValueSpan) : 0;
        var minute = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].ValueSpan) : 0;
        var second = m.Groups["s"].Success ? int.Parse(m.Groups["s"].ValueSpan) : 0;
        var offset = m.Groups["z"].Success ? Zone(m.Groups["z"].Value) : 0;
        return offset is null ? null : Build(year, month, day, hour, minute, second, offset.Value, 0);
    }

    /// <summary>Offset in minutes for a zone designator; null when it is not one.</summary>
    private static int? Zone(string zone)
    {
        zone = zone.Trim();
        if (zone.Length == 0)
        {
            return 0;
        }

        // "GMT+01:00", "UTC-5": a named UTC followed by a numeric offset.
        foreach (var prefix in (string[])["GMT", "UTC", "UT"])
        {
            if (zone.Length > prefix.Length && zone.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && zone[prefix.Length] is '+' or '-')
            {
                zone = zone[prefix.Length..];
                break;
            }
        }

        if (zone[0] is '+' or '-')
        {
            var digits = zone[1..].Replace(":", string.Empty, StringComparison.Ordinal);
            if (digits.Length is < 1 or > 4 || !digits.All(char.IsAsciiDigit))
            {
                return null;
            }

            var hours = digits.Length <= 2 ? int.Parse(digits) : int.Parse(digits[..^2]);
            var minutes = digits.Length <= 2 ? 0 : int.Parse(digits[^2..]);
            if (hours > 14 || minutes > 59)
            {
                return null;
            }

            var total = (hours * 60) + minutes;
            return zone[0] == '-' ? -total : total;
        }

        if (ZoneMinutes.TryGetValue(zone, out var named))
        {
            return named;
        }

        // RFC 822 printed the military zones' signs backwards, so RFC 5322 says to treat them as unknown;
        // for feeds that means UTC.
        if (zone.Length == 1 && char.IsAsciiLetter(zone[0]) && zone[0] is not ('J' or 'j'))
        {
            return 0;
        }

        return null;
    }

    private static int MonthNumber(string name)
    {
        if (name.Length < 3)
        {
            return 0;
        }

        var prefix = name[..3].ToLowerInvariant();
        return Array.IndexOf(Months, prefix) + 1;
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, int offsetMinutes, long ticks)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 24 || minute > 59 || second > 60)
        {
            return null;
        }

        // 24:00 is the end of the day and a leap second is read as the last ordinary one.
        var extraDay = hour == 24 && minute == 0 && second == 0;
        if (hour == 24 && !extraDay)
        {
            return null;
        }

        second = Math.Min(second, 59);
        try
        {
            var local = new DateTime(year, month, day, extraDay ? 0 : hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
            if (extraDay)
            {
                local = local.AddDays(1);
            }

            return new DateTimeOffset(local, TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?<y>\d{4})(?:-(?<mo>\d{1,2})(?:-(?<d>\d{1,2})(?:[T\s]+(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d+))?)?\s*(?<z>Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^(?:[A-Za-z]+\.?,?\s*)?(?<d>\d{1,2})[\s-]+(?<mon>[A-Za-z]{3,9})\.?[\s-]+(?<y>\d{2,4})(?:,?\s+(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2})(?:\.\d+)?)?)?\s*(?<z>(?:GMT|UTC?)?[+-]\d{1,2}:?\d{2}|[A-Za-z]{1,5})?\s*(?:\(.*\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822Pattern();

    [GeneratedRegex(@"^(?:[A-Za-z]+\.?(?:,\s*|\s+)(?=[A-Za-z]))?(?<mon>[A-Za-z]{3,9})\.?\s+(?<d>\d{1,2}),?\s+(?<y>\d{4})(?:,?\s+(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2}))?)?\s*(?<z>(?:GMT|UTC?)?[+-]\d{1,2}:?\d{2}|[A-Za-z]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirstPattern();
}
