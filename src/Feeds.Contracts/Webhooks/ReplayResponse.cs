namespace Feeds.Contracts.Webhooks;

/// <summary>How many messages a replay sends again.</summary>
public sealed record ReplayResponse(int Replayed);
