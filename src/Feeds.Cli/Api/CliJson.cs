using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feeds.Cli.Api;

/// <summary>JSON as the tool writes it: camelCase, nulls left out of requests, readable non-ASCII in output.</summary>
public static class CliJson
{
    public static JsonSerializerOptions Compact { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonWriterOptions Indented { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="value"/> indented, followed by a line break.</summary>
    public static void Print(TextWriter output, JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            value.WriteTo(writer);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>Writes the elements as one JSON array: the shape every <c>--json</c> listing prints.</summary>
    public static void PrintArray(TextWriter output, IEnumerable<JsonElement> items)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                item.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static string? Str(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement Prop(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray()
        : element.Prop("items") is { ValueKind: JsonValueKind.Array } items ? items.EnumerateArray()
        : [];

    public static IReadOnlyList<string> Strings(this JsonElement element, string name) =>
        element.Prop(name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray().Select(e => e.ToString())] : [];

    /// <summary>A value as a short human string: text as is, numbers and booleans as JSON, null and absent as "-".</summary>
    public static string Show(this JsonElement element, string name) => element.Prop(name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => "-",
        var other => other.GetRawText(),
    };

    /// <summary>A time as the server sends it, shown in UTC to the minute.</summary>
    public static string ShowTime(this JsonElement element, string name, string format = "yyyy-MM-dd HH:mm") =>
        element.Str(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)
            : "-";
}
