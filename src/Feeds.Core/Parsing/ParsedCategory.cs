using System.Text.Json.Serialization;

namespace Feeds.Core.Parsing;

/// <summary>One category of an item.</summary>
/// <param name="Term">What identifies the category (Atom <c>term</c>, the text of RSS <c>category</c>): what becomes a tag.</param>
/// <param name="Label">A name for people (Atom <c>label</c>, Media RSS <c>label</c>); null when the feed gives none.</param>
/// <param name="Scheme">The vocabulary the term belongs to (Atom <c>scheme</c>, RSS <c>domain</c>, Media RSS <c>scheme</c>).</param>
public sealed record ParsedCategory(string Term, string? Label = null, string? Scheme = null)
{
    /// <summary>What to show: the label when there is one, else the term.</summary>
    [JsonIgnore]
    public string DisplayName => Label ?? Term;
}
