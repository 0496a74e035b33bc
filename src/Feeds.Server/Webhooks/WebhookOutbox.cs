using System.Data;
using System.Runtime.CompilerServices;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Feeds.Data.Webhooks;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>
/// Turns post changes into outbox messages inside the post's own transaction (so an event exists exactly when its
/// change does), and wakes the dispatcher once they are committed: only after a write that enqueued any.
/// </summary>
public sealed class WebhookOutbox(WebhookStore store, IOptions<FeedsOptions> site, TimeProvider clock, WebhookDispatcher dispatcher) : IPostChangeHook
{
    private readonly ConditionalWeakTable<IReadOnlyList<PostChange>, object> _enqueued = [];

    public async Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var events = changes.Select(change => EventFor(change, now)).OfType<OutboxEvent>().ToList();
        if (events.Count > 0 && await store.EnqueueAsync(transaction, events, cancellationToken) > 0)
        {
            _enqueued.AddOrUpdate(changes, changes);
        }
    }

    public void AfterCommit(IReadOnlyList<PostChange> changes)
    {
        if (_enqueued.Remove(changes))
        {
            dispatcher.Wake();
        }
    }

    /// <summary>
    /// What a change means to subscribers, who only ever see published posts: going live is <c>post.published</c>,
    /// any change while live is <c>post.updated</c>, and leaving (deleted, or back to draft or schedule) is <c>post.deleted</c>.
    /// Imported posts send nothing: years of bookmarks arriving at once are history, not news for subscribers.
    /// </summary>
    public OutboxEvent? EventFor(PostChange change, DateTimeOffset now)
    {
        if (change.Imported)
        {
            return null;
        }

        var (type, post) = (change.WasPublished, change.IsPublished) switch
        {
            (false, true) => (WebhookEventTypes.PostPublished, change.After!),
            (true, true) => (WebhookEventTypes.PostUpdated, change.After!),
            (true, false) => (WebhookEventTypes.PostDeleted, change.Before!),
            _ => (null, null),
        };
        if (type is null || post is null)
        {
            return null;
        }

        // An update reaches subscribers of the tags it removed as well as those it kept or added.
        var tags = type == WebhookEventTypes.PostUpdated ? change.AffectedTagSlugs : post.Tags.Select(t => t.Slug);
        return new OutboxEvent(type, post.Id, [.. tags], () => WebhookPayloads.ForPost(type, post, now, site.Value), now);
    }
}
