using System.Text.RegularExpressions;

namespace Feeds.Server.Http;

/// <summary>
/// Names the field behind a request that minimal APIs could not bind: a query or route value of the wrong type
/// (<c>?limit=abc</c>), or a JSON body that is missing or <c>null</c>. ASP.NET Core reports these only as the message of a
/// <see cref="BadHttpRequestException"/>, so its wording is read here, in one place; anything else keeps that message.
/// </summary>
internal static partial class BindingProblems
{
    private const int MaxEchoedValue = 100;

    public static Dictionary<string, string[]> Describe(BadHttpRequestException exception)
    {
        var message = exception.Message;
        if (FailedToBind().Match(message) is { Success: true } bad)
        {
            var value = bad.Groups["value"].Value;
            value = value.Length > MaxEchoedValue ? $"{value[..MaxEchoedValue]}…" : value;
            return new() { [FieldName(bad.Groups["name"].Value)] = [$"\"{value}\" is not {Expected(bad.Groups["type"].Value)}."] };
        }

        if (NoBody().IsMatch(message) || Required().Match(message) is { Success: true, Groups: var g } && g["source"].Value == "body")
        {
            return new() { ["body"] = ["is required: send a JSON object."] };
        }

        if (Required().Match(message) is { Success: true } missing)
        {
            return new() { [FieldName(missing.Groups["name"].Value)] = ["is required."] };
        }

        return new() { ["request"] = [message] };
    }

    private static string FieldName(string parameter) =>
        parameter.Length == 0 ? parameter : string.Concat(char.ToLowerInvariant(parameter[0]).ToString(), parameter.AsSpan(1));

    private static string Expected(string type) => UnwrapNullable(type) switch
    {
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "Guid" => "an id (a GUID)",
        "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601)",
        "bool" or "Boolean" => "true or false",
        _ => "a value this parameter takes",
    };

    private static string UnwrapNullable(string type) =>
        type.StartsWith("Nullable<", StringComparison.Ordinal) && type.EndsWith('>') ? type["Nullable<".Length..^1] : type;

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]*) (?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""^Required parameter "(?<type>[^"]*) (?<name>[^" ]+)" was not provided from (?<source>\w+)\.""")]
    private static partial Regex Required();

    [GeneratedRegex("""^Implicit body inferred for parameter "[^"]+" but no body was provided""")]
    private static partial Regex NoBody();
}
