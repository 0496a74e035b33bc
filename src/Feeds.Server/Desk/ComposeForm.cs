using System.Globalization;
using Feeds.Contracts.Posts;
using Feeds.Core.Posts;

namespace Feeds.Server.Desk;

/// <summary>The compose form as posted, and as shown again: every field is text, exactly as typed.</summary>
public sealed class ComposeForm
{
    public const string Publish = "publish";
    public const string Draft = "draft";
    public const string Schedule = "schedule";
    public const string Preview = "preview";

    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Commentary { get; set; }

    /// <summary>Tag names separated by commas.</summary>
    public string? Tags { get; set; }

    public string? ViaUrl { get; set; }
    public string? ViaTitle { get; set; }

    /// <summary>A local date and time as <c>datetime-local</c> sends it, for <see cref="Schedule"/>.</summary>
    public string? At { get; set; }

    /// <summary>Minutes the author's clock is ahead of UTC, filled in by the script; none means <see cref="At"/> is UTC.</summary>
    public int? Offset { get; set; }

    /// <summary>Which button was pressed.</summary>
    public string? Action { get; set; }

    /// <summary>Set when the form was opened by the bookmarklet in a small window, which closes after saving.</summary>
    public bool Popup { get; set; }

    /// <summary>The form filled from a query (<c>/desk/new?url=&amp;title=&amp;text=&amp;via=</c>): selected text becomes a Markdown quote.</summary>
    public static ComposeForm FromQuery(string? url, string? title, string? text, string? via, string? viaTitle, bool popup)
    {
        // Phones' share menus often send the link inside the text rather than as the URL.
        if (string.IsNullOrWhiteSpace(url) && text is not null && FirstUrl(text) is { } shared)
        {
            url = shared;
            text = text.Replace(shared, "", StringComparison.Ordinal).Trim();
        }

        return new ComposeForm
        {
            Url = url?.Trim(),
            Title = title?.Trim(),
            Commentary = string.IsNullOrWhiteSpace(text) ? null : Quote(text) + "\n\n",
            ViaUrl = via?.Trim(),
            ViaTitle = viaTitle?.Trim(),
            Popup = popup,
        };
    }

    /// <summary>A post as the form shows it for editing.</summary>
    public static ComposeForm FromPost(Post post) => new()
    {
        Url = post.Url,
        Title = post.Title,
        Commentary = post.Commentary,
        Tags = string.Join(", ", post.Tags.Select(t => t.Name)),
        ViaUrl = post.Via?.Url,
        ViaTitle = post.Via?.Title,
        At = post.Status == PostStatus.Scheduled ? post.PublishAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : null,
    };

    /// <summary>Selected text as a Markdown block quote, line by line.</summary>
    public static string Quote(string text) =>
        string.Join('\n', text.Trim().ReplaceLineEndings("\n").Split('\n').Select(line => line.Length == 0 ? ">" : "> " + line));

    /// <summary>The form as an API request body, with the problems of the fields the API does not know (<c>at</c>).</summary>
    public PostInput ToInput(Dictionary<string, string[]> problems)
    {
        DateTimeOffset? publishAt = null;
        if (Action == Schedule)
        {
            if (!DateTime.TryParse(At, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                problems["at"] = ["A scheduled post needs a date and time."];
            }
            else
            {
                var offset = TimeSpan.FromMinutes(Math.Clamp(Offset ?? 0, -14 * 60, 14 * 60));
                publishAt = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
            }
        }

        return new PostInput
        {
            Url = Url?.Trim(),
            Title = Title?.Trim(),
            Commentary = Commentary ?? "",
            Tags = [.. (Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Via = string.IsNullOrWhiteSpace(ViaUrl) ? null : new ViaInput(ViaUrl.Trim(), string.IsNullOrWhiteSpace(ViaTitle) ? null : ViaTitle.Trim()),
            Status = Action == Draft ? PostStatusNames.Draft : PostStatusNames.Published,
            PublishAt = publishAt,
        };
    }

    private static string? FirstUrl(string text) =>
        text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(word => PostLimits.UrlProblem(word) is null);
}
