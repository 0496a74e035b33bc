namespace Feeds.Server.Desk;

/// <summary>A post of the same link, listed on the compose form: where it is and what state it is in.</summary>
public sealed record EarlierPost(string Title, string Url, string Status, DateTimeOffset Date);
