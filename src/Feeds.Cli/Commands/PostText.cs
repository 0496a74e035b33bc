using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feeds.Cli.Api;

namespace Feeds.Cli.Commands;

/// <summary>
/// A post as <c>feeds edit</c> puts it in the editor: comment lines, a JSON header with the fields, a line of three
/// dashes, then the commentary exactly as stored. JSON strings cannot hold a line break, so the first line that is
/// just <c>---</c> always ends the header, and the commentary below needs no escaping at all.
/// </summary>
internal sealed record PostText(string? Url, string? Title, IReadOnlyList<string> Tags, string? Via, string? ViaTitle, string Status, string? PublishAt, string Commentary)
{
    private const string Separator = "---";

    public static PostText From(JsonElement post) => new(
        post.Str("url"),
        post.Str("title"),
        post.Strings("tags"),
        post.Prop("via").Str("url"),
        post.Prop("via").Str("title"),
        post.Str("status") ?? "published",
        post.Str("publishAt"),
        post.Str("commentary") ?? "");

    public string Render()
    {
        var header = new JsonObject
        {
            ["url"] = Url,
            ["title"] = Title,
            ["tags"] = new JsonArray([.. Tags.Select(t => JsonValue.Create(t))]),
            ["via"] = Via,
            ["viaTitle"] = ViaTitle,
            ["status"] = Status,
            ["publishAt"] = PublishAt,
        };
        var text = new StringBuilder();
        text.Append("# Edit the post, save and quit. Lines starting with # are ignored; leave everything as it is to change nothing.\n");
        text.Append("# status: draft, published or scheduled (scheduled needs a future publishAt). The commentary (Markdown) follows the --- line.\n");
        text.Append(header.ToJsonString(new JsonSerializerOptions(CliJson.Compact) { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never }));
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
        JsonElement fields;
        try
        {
            using var document = JsonDocument.Parse(header);
            fields = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"the header is not valid JSON: {e.Message}");
        }

        if (fields.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the header must be a JSON object");
        }

        var commentary = string.Join('\n', lines[(separator + 1)..]);
        if (commentary.EndsWith('\n'))
        {
            commentary = commentary[..^1];
        }

        return new PostText(
            fields.Str("url"),
            fields.Str("title"),
            fields.Strings("tags"),
            fields.Str("via"),
            fields.Str("viaTitle"),
            fields.Str("status") ?? "published",
            fields.Str("publishAt"),
            commentary);
    }

    /// <summary>The JSON merge patch that turns this post into <paramref name="edited"/>: only the fields that changed.</summary>
    public JsonObject PatchTo(PostText edited)
    {
        var patch = new JsonObject();
        if (edited.Url != Url)
        {
            patch["url"] = edited.Url;
        }

        if (edited.Title != Title)
        {
            patch["title"] = edited.Title;
        }

        if (!edited.Tags.SequenceEqual(Tags, StringComparer.Ordinal))
        {
            patch["tags"] = new JsonArray([.. edited.Tags.Select(t => JsonValue.Create(t))]);
        }

        if (edited.Via != Via || edited.ViaTitle != ViaTitle)
        {
            patch["via"] = string.IsNullOrEmpty(edited.Via) ? null : new JsonObject { ["url"] = edited.Via, ["title"] = edited.ViaTitle };
        }

        if (edited.Status != Status || edited.PublishAt != PublishAt)
        {
            // The API takes draft or published; a published post with a future publishAt is a scheduled one.
            patch["status"] = edited.Status == "draft" ? "draft" : "published";
            patch["publishAt"] = edited.Status == "draft" ? null : edited.PublishAt;
        }

        if (edited.Commentary != Commentary)
        {
            patch["commentary"] = edited.Commentary;
        }

        return patch;
    }
}
