using System.Text.Json.Serialization;

namespace Feeds.Core.Parsing;

/// <summary>
/// An author of an item or feed. RSS writes authors as one string, <c>address (Name)</c> or <c>Name (address)</c>;
/// they arrive here split into name and address.
/// </summary>
public sealed record ParsedAuthor(string? Name, string? Email = null, Uri? Url = null)
{
    /// <summary>The name, else the e-mail address, else the URL; never null for an author the parser returns.</summary>
    [JsonIgnore]
    public string DisplayName => Name ?? Email ?? Url?.AbsoluteUri ?? string.Empty;
}
