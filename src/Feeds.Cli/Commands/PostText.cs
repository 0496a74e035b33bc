using System.Globalization;
using System.Text;
using System.Text.Json;
using Feeds.Cli.Api;
using Feeds.Contracts.Posts;

namespace Feeds.Cli.Commands;

/// <summary>
/// A post as <c>feeds edit</c> puts it in the editor: comment lines, a JSON header with the fields, a line of three
/// dashes, then the commentary exactly as stored. JSON strings cannot hold a line break, so the first line that is
/// just <c>---</c> always ends the header, and the commentary below needs no escaping at all.
/// </summary>
internal sealed record PostText(string? Url, string? Title, IReadOnlyList<string> Tags, string? Via, string? ViaTitle, string Status, string? PublishAt, string Commentary)
{
    private const string Separator = "---";

    public static PostText From(PostResponse post) => new(
        post.Url,
        post.Title,
        post.Tags,
        post.Via?.Url,
        post.Via?.Title,
        post.Status,
        post.PublishAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        post.Commentary);

    public string Render()
    {
        var header = new PostTextHeader(Url, Title, [.. Tags], Via, ViaTitle, Status, PublishAt);
        var text = new StringBuilder();
        text.Append("# Edit the post, save and quit. Lines starting with # are ignored; leave everything as it is to change nothing.\n");
        text.Append("# status: draft, published or scheduled (scheduled needs a future publishAt). The commentary (Markdown) follows the --- line.\n");
        text.Append(JsonSerializer.Serialize(header, CliJson.Printed.Type<PostTextHeader>()));
        text.Append('\n').Append(Separator).Append('\n');
        text.Append(Commentary);
        text.Append('\n');
        return text.ToString();
    }

    public static PostText Parse(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var separator = Array.IndexOf(lines, Separator);
        if (separator < 0)
        {
            throw new FormatException("the line of three dashes that ends the header is missing");
        }

        var header = string.Join('\n', lines[..separator].Where(l => !l.TrimStart().StartsWith('#')));
        PostTextHeader? fields;
        try
        {
            fields = JsonSerializer.Deserialize(header, CliJson.Wire.Type<PostTextHeader>());
        }
        catch (JsonException e)
        {
            throw new FormatException($"the header is not valid JSON: {e.Message}");
        }

        if (fields is null)
        {
            throw new FormatException("the header must be a JSON object");
        }

        var commentary = string.Join('\n', lines[(separator + 1)..]);
        if (commentary.EndsWith('\n'))
        {
            commentary = commentary[..^1];
        }

        return new PostText(
            fields.Url,
            fields.Title,
            [.. (fields.Tags ?? []).Select(t => t ?? "")],
            fields.Via,
            fields.ViaTitle,
            fields.Status ?? "published",
            fields.PublishAt,
            commentary);
    }

    /// <summary>
    /// The JSON merge patch that turns this post into <paramref name="edited"/>: only the fields that changed; null when
    /// nothing did. A publishAt that is not a time is a <see cref="FormatException"/>, as the rest of the header would be.
    /// </summary>
    public PostPatch? PatchTo(PostText edited)
    {
        var patch = new PostPatch();
        if (edited.Url != Url)
        {
            patch.Url = edited.Url;
        }

        if (edited.Title != Title)
        {
            patch.Title = edited.Title;
        }

        if (!edited.Tags.SequenceEqual(Tags, StringComparer.Ordinal))
        {
            patch.Tags = edited.Tags;
        }

        if (edited.Via != Via || edited.ViaTitle != ViaTitle)
        {
            patch.Via = string.IsNullOrEmpty(edited.Via) ? null : new ViaPatch { Url = edited.Via, Title = edited.ViaTitle };
        }

        if (edited.Status != Status || edited.PublishAt != PublishAt)
        {
            // The API takes draft or published; a published post with a future publishAt is a scheduled one.
            patch.Status = edited.Status == "draft" ? "draft" : "published";
            patch.PublishAt = edited.Status == "draft" ? null : Time(edited.PublishAt);
        }

        if (edited.Commentary != Commentary)
        {
            patch.Commentary = edited.Commentary;
        }

        return patch.IsEmpty ? null : patch;
    }

    /// <summary>A time as written in the header: with an offset or Z, else local time, as the server would read it.</summary>
    private static DateTimeOffset? Time(string? text) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time) ? time
        : throw new FormatException($"publishAt is not a time such as 2025-03-01T09:00:00Z: '{text}'");
}
