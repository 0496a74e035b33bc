namespace Feeds.Server.WebSub;

/// <summary>
/// A subscription request the hub accepted (<c>202</c>) and has yet to act on: a verification of intent (WebSub
/// section 5.3) for <c>subscribe</c> and <c>unsubscribe</c>, or a denial (section 5.2) when <see cref="DenialReason"/> is set.
/// </summary>
/// <param name="Topic">The topic as resolved; null for an unsubscription from a URL that is no topic (any subscription to it ends all the same).</param>
public sealed record IntentRequest(
    string Mode, string TopicUrl, WebSubTopic? Topic, Uri Callback, string? Secret, int LeaseSeconds, string? DenialReason = null);
