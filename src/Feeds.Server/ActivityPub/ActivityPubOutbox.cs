using System.Data;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Feeds.Data.ActivityPub;
using Feeds.Data.Delivery;
using Feeds.Data.Posts;
using Feeds.Server.Delivery;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Turns post changes into deliveries inside the post's own transaction: going live is a <c>Create</c>, a change while
/// live an <c>Update</c>, leaving (deleted, or back to draft) a <c>Delete</c> with a <c>Tombstone</c>; each sent once
/// to every inbox that reaches a follower of the site or of one of the post's tags (a shared inbox once for all its
/// followers). Imports and drafts send nothing. Wakes the dispatcher after commit.
/// </summary>
public sealed class ActivityPubOutbox(ActivityPubActors actors, ActivityPubDocuments documents, OutboxStore outbox, OutboxSignal signal, TimeProvider clock)
    : IPostChangeHook
{
    private readonly ConditionalWeakTable<IReadOnlyList<PostChange>, object> _queued = [];

    public async Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        if (!actors.Enabled)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var deliveries = new List<NewDelivery>();
        foreach (var change in changes)
        {
            if (ActivityFor(change) is not ({ } activity, { } tags))
            {
                continue;
            }

            var audience = new List<string> { ActorRef.Site.Key };
            audience.AddRange(tags.Select(t => ActorRef.ForTag(t).Key));
            var inboxes = await FollowerStore.InboxesAsync(connection, transaction, audience, cancellationToken);
            if (inboxes.Count == 0)
            {
                continue;
            }

            var payload = activity.ToJsonString();
            deliveries.AddRange(inboxes.Select(inbox => new NewDelivery(ActivityPubSender.DeliveryKind, inbox, null, payload)));
        }

        if (deliveries.Count > 0 && await outbox.EnqueueAsync(transaction, deliveries, now, cancellationToken) > 0)
        {
            _queued.AddOrUpdate(changes, changes);
        }
    }

    public void AfterCommit(IReadOnlyList<PostChange> changes)
    {
        if (_queued.Remove(changes))
        {
            signal.Raise();
        }
    }

    /// <summary>The activity a change sends and the tags whose followers receive it; nothing for imports and unpublished posts.</summary>
    private (JsonObject? Activity, IEnumerable<string>? Tags) ActivityFor(PostChange change)
    {
        if (change.Imported)
        {
            return (null, null);
        }

        return (change.WasPublished, change.IsPublished) switch
        {
            (false, true) => (documents.Create(change.After!), change.After!.Tags.Select(t => t.Slug)),
            // An update also reaches the followers of tags it removed, who saw the post before.
            (true, true) => (documents.Update(change.After!), change.AffectedTagSlugs),
            (true, false) => (documents.Delete(change.Before!), change.Before!.Tags.Select(t => t.Slug)),
            _ => (null, null),
        };
    }
}
