namespace Feeds.Cli.Commands;

/// <summary>The JSON header of a post in the editor: the fields of <see cref="PostText"/> but the commentary.</summary>
internal sealed record PostTextHeader(
    string? Url,
    string? Title,
    IReadOnlyList<string?>? Tags,
    string? Via,
    string? ViaTitle,
    string? Status,
    string? PublishAt);
