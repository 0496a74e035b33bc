using System.Text.Json;
using System.Text.RegularExpressions;

namespace Feeds.Server.Http;

/// <summary>Turns System.Text.Json's exceptions into <c>errors</c> entries keyed by the field they are about.</summary>
public static partial class JsonProblems
{
    public static Dictionary<string, string[]> Describe(JsonException exception)
    {
        if (UnknownMember().Match(exception.Message) is { Success: true } unknown)
        {
            var path = FieldOf(exception.Path);
            var name = unknown.Groups[1].Value;
            var field = path == "body" ? name : path.EndsWith(name, StringComparison.Ordinal) ? path : $"{path}.{name}";
            return new() { [field] = ["is not a field this API knows."] };
        }

        if (DuplicateMember().IsMatch(exception.Message))
        {
            return new() { [FieldOf(exception.Path)] = ["is given more than once; give each field once."] };
        }

        var message = exception.InnerException switch
        {
            InvalidOperationException text when text.Message.Contains("UTF-8", StringComparison.Ordinal) => "is not valid UTF-8 text.",
            InvalidOperationException text when text.Message.Contains("UTF-16", StringComparison.Ordinal) =>
                "escapes an unpaired surrogate (\\uD800 to \\uDFFF must come in pairs).",
            not null => "is not valid JSON of the expected type.",
            null when exception.LineNumber is null => "is not valid JSON of the expected type.",
            _ => $"is not valid JSON of the expected type (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}).",
        };
        return new() { [FieldOf(exception.Path)] = [message] };
    }

    /// <summary><c>$.tags[0]</c> → <c>tags[0]</c>; the document itself → <c>body</c>.</summary>
    public static string FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "body";
        }

        var field = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return field.Length > 0 ? char.ToLowerInvariant(field[0]) + field[1..] : "body";
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex("^Duplicate propert")]
    private static partial Regex DuplicateMember();
}
