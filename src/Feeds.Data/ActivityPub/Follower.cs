namespace Feeds.Data.ActivityPub;

/// <summary>
/// A remote actor following one of the site's actors (<see cref="Actor"/>: <c>site</c> or <c>tag:{slug}</c>), with the
/// inbox deliveries go to (its server's shared inbox when it has one).
/// </summary>
public sealed record Follower(string Actor, string FollowerId, string Inbox, string? SharedInbox, string? FollowId, DateTimeOffset CreatedAt)
{
    public string DeliveryInbox => SharedInbox ?? Inbox;
}
