namespace Feeds.Server.ActivityPub;

/// <summary>What the site needs of another server's actor: where to deliver to it, and the key it signs with.</summary>
public sealed record RemoteActor(string Id, string Inbox, string? SharedInbox, string KeyId, string PublicKeyPem);
