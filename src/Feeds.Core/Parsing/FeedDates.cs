using System.Globalization;
using System.Text.RegularExpressions;

namespace Feeds.Core.Parsing;

/// <summary>
/// Reads the dates feeds actually contain, every form the reference parser (Python feedparser) reads: RFC 822/1123
/// with their common mistakes (named, obsolete or military zones, missing seconds, time or day name, two-digit years,
/// single-digit fields, full month names, month before day), W3C-DTF and ISO 8601 (fractional seconds, zone with or
/// without colon, reduced precision, basic format, ordinal dates <c>2004-366</c> and week dates <c>2004-W53-6</c>),
/// asctime, Perforce (<c>2006/09/15</c>), and the Korean, Greek and Hungarian forms feedparser lists. A missing zone
/// means UTC, and so does a zone name nobody defines (as feedparser reads it). Returns null for anything else rather
/// than guessing.
/// </summary>
/// <remarks>
/// Almost every feed writes its dates in one of two exact shapes, RFC 3339 (<c>2024-03-05T09:05:00Z</c>) and
/// RFC 1123 (<c>Tue, 05 Mar 2024 09:05:00 GMT</c>). Those are read directly from the characters; everything else
/// goes through the tolerant patterns. A shape the direct readers accept is one the patterns accept too, read to
/// the same fields, so the fast paths change speed and never results.
/// </remarks>
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
        ["AT"] = -4 * 60, ["ADT"] = -3 * 60, ["AST"] = -4 * 60, ["ET"] = -5 * 60, ["CT"] = -6 * 60, ["MT"] = -7 * 60, ["PT"] = -8 * 60,

        // RFC 822's military zones as feedparser reads them: these four signed as RFC 822 printed them, the others UTC.
        ["A"] = -60, ["N"] = 60, ["M"] = -12 * 60, ["Y"] = 12 * 60,
    };

    private static readonly Dictionary<string, string> GreekNames = new(StringComparer.Ordinal)
    {
        ["\u0399\u03b1\u03bd"] = "Jan", ["\u03a6\u03b5\u03b2"] = "Feb", ["\u039c\u03ac\u03ce"] = "Mar", ["\u039c\u03b1\u03ce"] = "Mar",
        ["\u0391\u03c0\u03c1"] = "Apr", ["\u039c\u03ac\u03b9"] = "May", ["\u039c\u03b1\u03ca"] = "May", ["\u039c\u03b1\u03b9"] = "May",
        ["\u0399\u03bf\u03cd\u03bd"] = "Jun", ["\u0399\u03bf\u03bd"] = "Jun", ["\u0399\u03bf\u03cd\u03bb"] = "Jul", ["\u0399\u03bf\u03bb"] = "Jul",
        ["\u0391\u03cd\u03b3"] = "Aug", ["\u0391\u03c5\u03b3"] = "Aug", ["\u03a3\u03b5\u03c0"] = "Sep", ["\u039f\u03ba\u03c4"] = "Oct",
        ["\u039d\u03bf\u03ad"] = "Nov", ["\u039d\u03bf\u03b5"] = "Nov", ["\u0394\u03b5\u03ba"] = "Dec",
    };

    private static readonly Dictionary<string, int> HungarianMonths = new(StringComparer.Ordinal)
    {
        ["janu\u00e1r"] = 1, ["febru\u00e1ri"] = 2, ["m\u00e1rcius"] = 3, ["\u00e1prilis"] = 4, ["m\u00e1ujus"] = 5, ["j\u00fanius"] = 6,
        ["j\u00falius"] = 7, ["augusztus"] = 8, ["szeptember"] = 9, ["okt\u00f3ber"] = 10, ["november"] = 11, ["december"] = 12,
    };

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ZoneMinutesBySpan =
        ZoneMinutes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string[] Months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.AsSpan().Trim();
        return (char.IsAsciiDigit(text[0]) && text.Length >= 4 && char.IsAsciiDigit(text[3])
            ? ParseIso(text) ?? ParseRfc822(text)
            : ParseRfc822(text)) ?? ParseOtherForms(text.ToString());
    }

    /// <summary>The rarer forms, tried only when the common ones fail.</summary>
    private static DateTimeOffset? ParseOtherForms(string text)
    {
        var etc = text.IndexOf(" Etc/", StringComparison.OrdinalIgnoreCase);
        if (etc > 0)
        {
            return Parse(text.Remove(etc + 1, 4));
        }

        var m = IsoOrdinalOrWeekPattern().Match(text);
        if (m.Success)
        {
            var year = int.Parse(m.Groups["y"].ValueSpan);
            DateTime day;
            if (m.Groups["o"].Success)
            {
                var ordinal = int.Parse(m.Groups["o"].ValueSpan);
                if (ordinal < 1 || ordinal > (DateTime.IsLeapYear(year) ? 366 : 365))
                {
                    return null;
                }

                day = new DateTime(year, 1, 1).AddDays(ordinal - 1);
            }
            else
            {
                var week = int.Parse(m.Groups["w"].ValueSpan);
                var weekday = m.Groups["wd"].Success ? int.Parse(m.Groups["wd"].ValueSpan) : 1;
                if (week < 1 || week > ISOWeek.GetWeeksInYear(year))
                {
                    return null;
                }

                day = ISOWeek.ToDateTime(year, week, (DayOfWeek)(weekday % 7));
            }

            return TimeOfDay(day.Year, day.Month, day.Day, m);
        }

        m = IsoBasicPattern().Match(text);
        if (m.Success)
        {
            return TimeOfDay(int.Parse(m.Groups["y"].ValueSpan), int.Parse(m.Groups["mo"].ValueSpan), int.Parse(m.Groups["d"].ValueSpan), m);
        }

        m = AsctimePattern().Match(text);
        if (m.Success)
        {
            var month = MonthNumber(m.Groups["mon"].ValueSpan);
            var offset = m.Groups["z"].Success ? Zone(m.Groups["z"].ValueSpan) : 0;
            return month == 0 || offset is null
                ? null
                : Build(int.Parse(m.Groups["y"].ValueSpan), month, int.Parse(m.Groups["d"].ValueSpan), int.Parse(m.Groups["h"].ValueSpan), int.Parse(m.Groups["mi"].ValueSpan), int.Parse(m.Groups["s"].ValueSpan), offset.Value, 0);
        }

        m = PerforcePattern().Match(text);
        if (m.Success)
        {
            var offset = m.Groups["z"].Success ? Zone(m.Groups["z"].ValueSpan) : 0;
            return offset is null
                ? null
                : Build(int.Parse(m.Groups["y"].ValueSpan), int.Parse(m.Groups["mo"].ValueSpan), int.Parse(m.Groups["d"].ValueSpan), int.Parse(m.Groups["h"].ValueSpan), int.Parse(m.Groups["mi"].ValueSpan), int.Parse(m.Groups["s"].ValueSpan), offset.Value, 0);
        }

        m = KoreanPattern().Match(text);
        if (m.Success)
        {
            var hour = int.Parse(m.Groups["h"].ValueSpan) + (m.Groups["pm"].Success ? 12 : 0);
            return Build(int.Parse(m.Groups["y"].ValueSpan), int.Parse(m.Groups["mo"].ValueSpan), int.Parse(m.Groups["d"].ValueSpan), hour, int.Parse(m.Groups["mi"].ValueSpan), int.Parse(m.Groups["s"].ValueSpan), 9 * 60, 0);
        }

        m = HungarianPattern().Match(text);
        if (m.Success && HungarianMonths.TryGetValue(m.Groups["mon"].Value, out var hungarianMonth))
        {
            var offset = Zone(m.Groups["z"].ValueSpan);
            return offset is null
                ? null
                : Build(int.Parse(m.Groups["y"].ValueSpan), hungarianMonth, int.Parse(m.Groups["d"].ValueSpan), int.Parse(m.Groups["h"].ValueSpan), int.Parse(m.Groups["mi"].ValueSpan), 0, offset.Value, 0);
        }

        m = GreekPattern().Match(text);
        if (m.Success && GreekNames.TryGetValue(m.Groups["mon"].Value, out var greekMonth))
        {
            return ParseRfc822($"{m.Groups["d"].Value} {greekMonth} {m.Groups["rest"].Value}");
        }

        return null;
    }

    /// <summary>The optional time and zone of the ISO forms read by <see cref="ParseOtherForms"/>, on the given day.</summary>
    private static DateTimeOffset? TimeOfDay(int year, int month, int day, Match m)
    {
        var ticks = m.Groups["f"].Success ? long.Parse(m.Groups["f"].Value.PadRight(7, '0')[..7], CultureInfo.InvariantCulture) : 0L;
        var offset = m.Groups["z"].Success ? Zone(m.Groups["z"].ValueSpan) : 0;
        return offset is null
            ? null
            : Build(
                year,
                month,
                day,
                m.Groups["h"].Success ? int.Parse(m.Groups["h"].ValueSpan) : 0,
                m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].ValueSpan) : 0,
                m.Groups["s"].Success ? int.Parse(m.Groups["s"].ValueSpan) : 0,
                offset.Value,
                ticks);
    }

    private static DateTimeOffset? ParseIso(ReadOnlySpan<char> text)
    {
        if (TryRfc3339(text, out var result))
        {
            return result;
        }

        var m = IsoPattern().Match(text.ToString());
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
            offset = Zone(m.Groups["z"].ValueSpan);
        }

        return offset is null ? null : Build(year, month, day, hour, minute, second, offset.Value, ticks);
    }

    private static DateTimeOffset? ParseRfc822(ReadOnlySpan<char> text)
    {
        if (TryRfc1123(text, out var result))
        {
            return result;
        }

        var m = Rfc822Pattern().Match(text.ToString());
        if (!m.Success)
        {
            m = MonthFirstPattern().Match(text.ToString());
            if (!m.Success)
            {
                return null;
            }
        }

        var month = MonthNumber(m.Groups["mon"].ValueSpan);
        if (month == 0)
        {
            return null;
        }

        var day = int.Parse(m.Groups["d"].ValueSpan);
        var year = int.Parse(m.Groups["y"].ValueSpan);
        if (m.Groups["y"].Length == 2)
        {
            // feedparser's rule for two-digit years: the nineties are 1990s, the rest this century.
            year += year < 90 ? 2000 : 1900;
        }
        else if (m.Groups["y"].Length == 3)
        {
            year += 1900;
        }

        var hour = m.Groups["h"].Success ? int.Parse(m.Groups["h"].ValueSpan) : 0;
        var minute = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].ValueSpan) : 0;
        var second = m.Groups["s"].Success ? int.Parse(m.Groups["s"].ValueSpan) : 0;
        var offset = m.Groups["z"].Success ? Zone(m.Groups["z"].ValueSpan) : 0;
        return offset is null ? null : Build(year, month, day, hour, minute, second, offset.Value, 0);
    }

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss</c> with optional fraction, then <c>Z</c> or <c>±hh:mm</c>/<c>±hhmm</c>; or a bare
    /// <c>yyyy-MM-dd</c>. False for any other shape, leaving it to <see cref="IsoPattern"/>.
    /// </summary>
    private static bool TryRfc3339(ReadOnlySpan<char> text, out DateTimeOffset? result)
    {
        result = null;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text.Slice(0, 4), out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day))
        {
            return false;
        }

        if (text.Length == 10)
        {
            result = Build(year, month, day, 0, 0, 0, 0, 0);
            return true;
        }

        if (text.Length < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var rest = text[19..];
        var ticks = 0L;
        if (rest[0] == '.')
        {
            // The pattern keeps the first seven digits (100 ns ticks), padding shorter fractions with zeros.
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 1)
            {
                return false;
            }

            for (var i = 1; i <= 7; i++)
            {
                ticks = (ticks * 10) + (i < digits ? rest[i] - '0' : 0);
            }

            rest = rest[digits..];
        }

        int offset;
        if (rest is "Z")
        {
            offset = 0;
        }
        else if (rest.Length is 5 or 6 && rest[0] is ('+' or '-') && (rest.Length == 5 || rest[3] == ':')
            && TryDigits(rest.Slice(1, 2), out var hours) && TryDigits(rest[^2..], out var minutes))
        {
            if (hours > 14 || minutes > 59)
            {
                result = null;
                return true;
            }

            offset = rest[0] == '-' ? -((hours * 60) + minutes) : (hours * 60) + minutes;
        }
        else
        {
            return false;
        }

        result = Build(year, month, day, hour, minute, second, offset, ticks);
        return true;
    }

    /// <summary>
    /// <c>Www, d Mmm yyyy HH:mm:ss</c> (day name optional, day one or two digits) followed by a named zone or
    /// <c>±hhmm</c>. False for any other shape, leaving it to <see cref="Rfc822Pattern"/>.
    /// </summary>
    private static bool TryRfc1123(ReadOnlySpan<char> text, out DateTimeOffset? result)
    {
        result = null;
        if (text.Length > 5 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]) && char.IsAsciiLetter(text[2]) && text[3] == ',' && text[4] == ' ')
        {
            text = text[5..];
        }

        var dayLength = text.Length > 1 && char.IsAsciiDigit(text[1]) ? 2 : 1;
        if (text.Length < dayLength + 19 || !TryDigits(text[..dayLength], out var day))
        {
            return false;
        }

        text = text[dayLength..];
        if (text[0] != ' ' || text[4] != ' ' || text[9] != ' ' || text[12] != ':' || text[15] != ':' || text[18] != ' '
            || !char.IsAsciiLetter(text[1]) || !char.IsAsciiLetter(text[2]) || !char.IsAsciiLetter(text[3])
            || !TryDigits(text.Slice(5, 4), out var year) || !TryDigits(text.Slice(10, 2), out var hour)
            || !TryDigits(text.Slice(13, 2), out var minute) || !TryDigits(text.Slice(16, 2), out var second))
        {
            return false;
        }

        var zone = text[19..];
        if (zone.Length is < 1 or > 5)
        {
            return false;
        }

        var numeric = zone[0] is '+' or '-';
        for (var i = numeric ? 1 : 0; i < zone.Length; i++)
        {
            if (numeric ? !char.IsAsciiDigit(zone[i]) : !char.IsAsciiLetter(zone[i]))
            {
                return false;
            }
        }

        if (numeric && zone.Length != 5)
        {
            return false;
        }

        var month = MonthNumber(text.Slice(1, 3));
        var offset = Zone(zone);
        result = month == 0 || offset is null ? null : Build(year, month, day, hour, minute, second, offset.Value, 0);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Offset in minutes for a zone designator; null when it is not one.</summary>
    private static int? Zone(ReadOnlySpan<char> zone)
    {
        zone = zone.Trim();
        if (zone.Length == 0)
        {
            return 0;
        }

        // "GMT+01:00", "UTC-5": a named UTC followed by a numeric offset.
        foreach (var prefix in (ReadOnlySpan<string>)["GMT", "UTC", "UT"])
        {
            if (zone.Length > prefix.Length && zone.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && zone[prefix.Length] is '+' or '-')
            {
                zone = zone[prefix.Length..];
                break;
            }
        }

        if (zone[0] is '+' or '-')
        {
            // Up to four digits with at most one colon anywhere among them, as the patterns allow.
            Span<char> digits = stackalloc char[4];
            var count = 0;
            foreach (var c in zone[1..])
            {
                if (c == ':')
                {
                    continue;
                }

                if (!char.IsAsciiDigit(c) || count == digits.Length)
                {
                    return null;
                }

                digits[count++] = c;
            }

            if (count == 0)
            {
                return null;
            }

            var all = digits[..count];
            _ = TryDigits(count <= 2 ? all : all[..^2], out var hours);
            var minutes = 0;
            if (count > 2)
            {
                _ = TryDigits(all[^2..], out minutes);
            }

            if (hours > 14 || minutes > 59)
            {
                return null;
            }

            var total = (hours * 60) + minutes;
            return zone[0] == '-' ? -total : total;
        }

        if (ZoneMinutesBySpan.TryGetValue(zone, out var named))
        {
            return named;
        }

        // A zone name nobody defines (and the other military letters) is read as UTC, as the reference parser reads it.
        foreach (var c in zone)
        {
            if (!char.IsAsciiLetter(c))
            {
                return null;
            }
        }

        return 0;
    }

    private static int MonthNumber(ReadOnlySpan<char> name)
    {
        if (name.Length < 3)
        {
            return 0;
        }

        Span<char> prefix = stackalloc char[3];
        _ = name[..3].ToLowerInvariant(prefix);
        for (var i = 0; i < Months.Length; i++)
        {
            if (prefix.SequenceEqual(Months[i]))
            {
                return i + 1;
            }
        }

        return 0;
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

    private const string IsoTime = @"(?:[T\s]?(?<h>\d{2}):?(?<mi>\d{2})(?::?(?<s>\d{2})(?:[.,](?<f>\d+))?)?\s*(?<z>Z|[+-]\d{2}(?::?\d{2})?)?)?$";

    [GeneratedRegex(@"^(?<y>\d{4})-?(?:W(?<w>\d{2})(?:-?(?<wd>[1-7]))?|(?<o>\d{3}))" + IsoTime, RegexOptions.CultureInvariant)]
    private static partial Regex IsoOrdinalOrWeekPattern();

    [GeneratedRegex(@"^(?<y>\d{4})(?<mo>\d{2})(?<d>\d{2})" + IsoTime, RegexOptions.CultureInvariant)]
    private static partial Regex IsoBasicPattern();

    [GeneratedRegex(@"^[A-Za-z]{3}\s+(?<mon>[A-Za-z]{3})\s+(?<d>\d{1,2})\s+(?<h>\d{1,2}):(?<mi>\d{2}):(?<s>\d{2})\s+(?:(?<z>[A-Za-z]{1,5}|[+-]\d{4})\s+)?(?<y>\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex AsctimePattern();

    [GeneratedRegex(@"^(?:[A-Za-z]{3},\s*)?(?<y>\d{4})/(?<mo>\d{1,2})/(?<d>\d{1,2})\s+(?<h>\d{1,2}):(?<mi>\d{2}):(?<s>\d{2})(?:\s+(?<z>[A-Za-z]{1,5}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PerforcePattern();

    /// <summary>OnBlog's <c>2004년 05월 28일 01:31:15</c> and Nate's <c>2004-05-25 오후 11:23:17</c>, both in Korean time.</summary>
    [GeneratedRegex(@"^(?<y>\d{4})(?:\uB144\s+(?<mo>\d{2})\uC6D4\s+(?<d>\d{2})\uC77C|-(?<mo>\d{2})-(?<d>\d{2})\s+(?:\uC624\uC804|(?<pm>\uC624\uD6C4)))\s+(?<h>\d{1,2}):(?<mi>\d{1,2}):(?<s>\d{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex KoreanPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mon>[^-\d]+)-(?<d>\d{1,2})T(?<h>\d{1,2}):(?<mi>\d{2})(?<z>[+-]\d{1,2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex HungarianPattern();

    [GeneratedRegex(@"^[^,]+,\s+(?<d>\d{2})\s+(?<mon>\S+)\s+(?<rest>\d{4}\s+\d{2}:\d{2}:\d{2}\s+\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GreekPattern();

    [GeneratedRegex(@"^(?<y>\d{4})(?:-(?<mo>\d{1,2})(?:-(?<d>\d{1,2})(?:[T\s]+(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d+))?)?\s*(?<z>Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^(?:[A-Za-z]+\.?,?\s*)?(?<d>\d{1,2})[\s-]+(?<mon>[A-Za-z]{3,9})\.?[\s-]+(?<y>\d{2,4})(?:,?\s+(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2})(?:\.\d+)?)?)?\s*(?<z>(?:GMT|UTC?)?[+-]\d{1,2}:?\d{2}|[A-Za-z]{1,5})?\s*(?:\(.*\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822Pattern();

    [GeneratedRegex(@"^(?:[A-Za-z]+\.?(?:,\s*|\s+)(?=[A-Za-z]))?(?<mon>[A-Za-z]{3,9})\.?\s+(?<d>\d{1,2}),?\s+(?<y>\d{4})(?:,?\s+(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2}))?)?\s*(?<z>(?:GMT|UTC?)?[+-]\d{1,2}:?\d{2}|[A-Za-z]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirstPattern();
}
