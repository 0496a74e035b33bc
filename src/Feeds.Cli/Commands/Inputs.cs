using System.Globalization;
using System.Text.RegularExpressions;
using Feeds.Contracts.Posts;

namespace Feeds.Cli.Commands;

/// <summary>Checks and conversions of what people type, failing with exit code 1 and a message naming the input.</summary>
internal static partial class Inputs
{
    public static string PostId(string text) =>
        Guid.TryParse(text, out var id) ? id.ToString("D") : throw new CliException(ExitCodes.Usage, $"'{text}' is not a post id (a UUID such as 0199c1f4-…).");

    public static string WebhookId(string text) =>
        Guid.TryParse(text, out var id) ? id.ToString("D") : throw new CliException(ExitCodes.Usage, $"'{text}' is not a webhook id (a UUID).");

    public static string TokenId(string text) =>
        Guid.TryParse(text, out var id) ? id.ToString("D") : throw new CliException(ExitCodes.Usage, $"'{text}' is not a token id (a UUID).");

    public static string HttpUrl(string text, string what)
    {
        if (PostLimits.UrlProblem(text) is null)
        {
            return text;
        }

        throw new CliException(ExitCodes.Usage, $"{what} must be an absolute http or https URL, not '{text}'.");
    }

    /// <summary>
    /// A time: ISO 8601 with an offset (<c>2025-03-01T09:00:00+01:00</c>), without one (local time), a date alone
    /// (local midnight), or relative to now (<c>+30m</c>, <c>+2h</c>, <c>+1d</c>, <c>-1w</c>).
    /// </summary>
    public static DateTimeOffset Time(string text, string option, TimeProvider clock)
    {
        if (Relative().Match(text.Trim()) is { Success: true } relative)
        {
            var amount = int.Parse(relative.Groups[2].Value, CultureInfo.InvariantCulture) * (relative.Groups[1].Value == "-" ? -1 : 1);
            var span = relative.Groups[3].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
            return clock.GetUtcNow() + span;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            return time;
        }

        throw new CliException(ExitCodes.Usage, $"{option} wants a time such as 2025-03-01T09:00, 2025-03-01T09:00:00Z or +2h, not '{text}'.");
    }

    [GeneratedRegex(@"^([+-])(\d{1,6})([smhdw])$")]
    private static partial Regex Relative();
}
