using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feeds.Contracts.Problems;

/// <summary>
/// An RFC 9457 problem as the server sends every failure: <see cref="Errors"/> names each refused field by its JSON
/// path (<c>items[3].url</c>), and members beyond the RFC's (such as <c>traceId</c>) are kept in <see cref="Extensions"/>.
/// </summary>
public sealed record ProblemResponse
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
