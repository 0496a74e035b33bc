namespace Feeds.Server.Sources;

/// <summary>The outcome of one round over the due sources.</summary>
public sealed record PollRound(int Polled, int NewPosts, int Failed);
