using System.Globalization;
using System.Text.Json;
using Feeds.Cli.Api;
using Feeds.Contracts.Posts;

namespace Feeds.Cli.Bookmarks;

/// <summary>
/// Feeds' own export: <c>{"format": "feeds-export", "version": 1, "server", "exportedAt", "posts": [...]}</c> with
/// every post exactly as the API returns it, one per line. Importing it elsewhere keeps every field that can be
/// carried: link, title, commentary, tags, via, status, schedule, the creation, publication and edit times, and the id
/// and slug, so that a site moving to another server keeps its feed entry ids and permalinks.
/// </summary>
internal static class FeedsExport
{
    public const string FormatName = "feeds-export";

    public static bool Looks(JsonElement document) =>
        document.ValueKind == JsonValueKind.Object && document.Str("format") == FormatName;

    public static async Task WriteHeaderAsync(TextWriter writer, Uri server, DateTimeOffset now)
    {
        await writer.WriteAsync($$"""
            {
              "format": "{{FormatName}}",
              "version": 1,
              "server": {{JsonSerializer.Serialize(server.AbsoluteUri.TrimEnd('/'))}},
              "exportedAt": "{{now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}",
              "posts": [
            """);
    }

    public static async Task WritePostAsync(TextWriter writer, PostResponse post, bool first)
    {
        await writer.WriteAsync(first ? "\n" : ",\n");
        await writer.WriteAsync(JsonSerializer.Serialize(post, CliJson.Wire.Type<PostResponse>()));
    }

    public static Task WriteFooterAsync(TextWriter writer) => writer.WriteAsync("\n  ]\n}\n");

    public static List<ImportItem> Read(JsonElement document, DateTimeOffset now)
    {
        if (document.Prop("version") is { ValueKind: JsonValueKind.Number } version && version.GetInt32() != 1)
        {
            throw new CliException(ExitCodes.Usage, $"this is a version {version.GetInt32()} Feeds export; this feeds reads version 1.");
        }

        if (document.Prop("posts") is not { ValueKind: JsonValueKind.Array } posts)
        {
            throw new CliException(ExitCodes.Usage, "the Feeds export has no \"posts\" array.");
        }

        var items = new List<ImportItem>();
        foreach (var post in posts.EnumerateArray())
        {
            var position = items.Count + 1;
            var url = post.Str("url") ?? throw new CliException(ExitCodes.Usage, $"post {position} of the export has no \"url\".");
            var status = post.Str("status") ?? "published";
            var publishAt = Time(post, "publishAt");
            var publishedAt = Time(post, "publishedAt");
            Guid? id = post.Str("id") is { } text && Guid.TryParse(text, out var guid) ? guid : null;

            // A post scheduled for a time that has passed since the export is simply a published one by now.
            var scheduled = status == "scheduled" && publishAt > now;
            if (status == "scheduled" && !scheduled)
            {
                status = "published";
                publishedAt ??= publishAt;
                publishAt = null;
            }

            items.Add(new ImportItem
            {
                Position = position,
                Url = url,
                Title = post.Str("title") ?? url,
                Commentary = post.Str("commentary"),
                Tags = post.Strings("tags"),
                ViaUrl = post.Prop("via").Str("url"),
                ViaTitle = post.Prop("via").Str("title"),
                Status = status == "draft" ? "draft" : "published",
                PublishAt = scheduled ? publishAt : null,
                CreatedAt = Time(post, "createdAt"),
                PublishedAt = publishedAt,
                UpdatedAt = Time(post, "updatedAt"),
                ImportKey = id is { } known ? $"feeds-{known:N}" : BookmarkImport.Key(url, Time(post, "createdAt")),
                Id = id,
                Slug = post.Str("slug"),
            });
        }

        return items;
    }

    private static DateTimeOffset? Time(JsonElement post, string name) =>
        post.Str(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : null;
}
