using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Feeds.Contracts;

namespace Feeds.Cli.Api;

/// <summary>
/// The contracts' JSON as the tool writes and reads it: the server's names and metadata (<see cref="FeedsJson"/>), readable
/// non-ASCII, and members a newer server may add skipped rather than refused, so an older tool keeps working against it.
/// </summary>
public static class CliJson
{
    /// <summary>Requests, answers, and posts in an export file (one line each).</summary>
    public static JsonSerializerOptions Wire { get; } = Create(indented: false);

    /// <summary>What <c>--json</c> prints.</summary>
    public static JsonSerializerOptions Printed { get; } = Create(indented: true);

    public static JsonTypeInfo<T> Type<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    /// <summary>Writes <paramref name="value"/> indented, followed by a line break.</summary>
    public static void Print<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Printed.Type<T>()));

    /// <summary>"-" for a missing value, else the value in invariant culture: how tables show numbers and text.</summary>
    public static string Show<T>(T? value) => value switch
    {
        null => "-",
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };

    /// <summary>A time as the server sends it, shown in UTC to the minute; "-" when there is none.</summary>
    public static string ShowTime(DateTime? time, string format = "yyyy-MM-dd HH:mm") =>
        time is { } at ? (at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at).ToString(format, CultureInfo.InvariantCulture) : "-";

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(FeedsJson.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            WriteIndented = indented,
        };
        options.TypeInfoResolverChain.Add(CliJsonContext.Default);
        options.MakeReadOnly();
        return options;
    }
}
