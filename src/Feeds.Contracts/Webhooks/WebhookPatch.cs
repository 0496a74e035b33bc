namespace Feeds.Contracts.Webhooks;

/// <summary>The body of <c>PATCH /api/webhooks/{id}</c>: fields left out (or null) stay as they are.</summary>
public sealed record WebhookPatch(string? Url, IReadOnlyList<string?>? Events, IReadOnlyList<string?>? Tags, bool? Enabled);
