using System.Data;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Feeds.Core.Posts;
using Feeds.Data.ActivityPub;
using Feeds.Data.Delivery;
using Feeds.Data.Posts;
using Feeds.Server.Delivery;

namespace Feeds.Server.ActivityPub;

/// <summary>
/// Turns post changes into deliveries inside the post's own transaction. The site actor speaks to its followers: going
/// live is a <c>Create</c>, a change while live an <c>Update</c>, leaving (deleted, or back to draft) a <c>Delete</c>
/// with a <c>Tombstone</c>. Each tag actor boosts the post to its own followers (<c>Announce</c>), since Mastodon shows a
/// <c>Create</c> only to accounts following its author; an edit that adds a tag boosts it there, one that removes a tag
/// takes that boost back (<c>Undo</c>), and the <c>Update</c> and <c>Delete</c> reach the followers of every tag the post
/// carried, who hold it through the boost. Each activity goes once to every inbox reaching its audience (a shared inbox
/// once for all its followers). Imports and drafts send nothing. Wakes the dispatcher after commit.
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

        var deliveries = new List<NewDelivery>();
        foreach (var change in changes.Where(c => !c.Imported))
        {
            foreach (var (activity, audience) in ActivitiesFor(change))
            {
                var inboxes = await FollowerStore.InboxesAsync(connection, transaction, audience, cancellationToken);
                if (inboxes.Count > 0)
                {
                    var payload = activity.ToJsonString();
                    deliveries.AddRange(inboxes.Select(inbox => new NewDelivery(ActivityPubSender.DeliveryKind, inbox, null, payload)));
                }
            }
        }

        if (deliveries.Count > 0 && await outbox.EnqueueAsync(transaction, deliveries, clock.GetUtcNow(), cancellationToken) > 0)
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

    /// <summary>The activities a change sends, each with the actors (as followers are stored) whose followers receive it.</summary>
    private IEnumerable<(JsonObject Activity, IReadOnlyList<string> Audience)> ActivitiesFor(PostChange change)
    {
        var before = change.WasPublished ? TagSlugs(change.Before!) : [];
        var after = change.IsPublished ? TagSlugs(change.After!) : [];
        switch (change.WasPublished, change.IsPublished)
        {
            case (false, true):
                yield return (documents.Create(change.After!), [ActorRef.Site.Key]);
                break;
            case (true, true):
                // An update also reaches the followers of tags it removed, who saw the post before.
                yield return (documents.Update(change.After!), SiteAnd(before.Union(after)));
                foreach (var removed in before.Except(after))
                {
                    yield return (documents.UndoAnnounce(change.After!, removed, change.After!.UpdatedAt), [ActorRef.ForTag(removed).Key]);
                }

                break;
            case (true, false):
                yield return (documents.Delete(change.Before!), SiteAnd(before));
                yield break;
            default:
                yield break;
        }

        foreach (var added in after.Except(before))
        {
            yield return (documents.Announce(change.After!, added), [ActorRef.ForTag(added).Key]);
        }
    }

    private static string[] TagSlugs(Post post) => [.. post.Tags.Select(t => t.Slug)];

    private static string[] SiteAnd(IEnumerable<string> tagSlugs) => [ActorRef.Site.Key, .. tagSlugs.Select(t => ActorRef.ForTag(t).Key)];
}
