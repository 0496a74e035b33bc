using System.Text.Json;

namespace Feeds.Cli.Bookmarks;

/// <summary>
/// Lenient reading of files other tools wrote (Pinboard JSON, Feeds exports of any age): a member that is missing or of
/// another type reads as absent, where a typed reader would refuse the whole file.
/// </summary>
internal static class JsonFields
{
    public static string? Str(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement Prop(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static IReadOnlyList<string> Strings(this JsonElement element, string name) =>
        element.Prop(name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray().Select(e => e.ToString())] : [];
}
