using Feeds.Contracts.Sources;
using Feeds.Core.Sources;
using Feeds.Data.Sources;

namespace Feeds.Server.Sources;

/// <summary>A source and a poll in the API's terms.</summary>
public static class SourceMapping
{
    public static SourceResponse ToResponse(this Source source) => new(
        source.Id,
        source.Url,
        source.SiteUrl,
        source.DisplayTitle,
        [.. source.Tags.Select(t => t.Slug)],
        source.Mode.ToName(),
        source.IntervalChosen ? source.IntervalMinutes : null,
        source.Backfill,
        source.CreatedAt.UtcDateTime,
        FetchOf(source),
        PushOf(source));

    /// <summary>The source as a request body that would recreate it: the base a merge patch applies to.</summary>
    public static SourceInput ToInput(this Source source) => new(
        source.Url,
        source.Title,
        [.. source.Tags.Select(t => t.Name)],
        source.Mode.ToName(),
        source.IntervalChosen ? source.IntervalMinutes : null,
        source.Backfill);

    public static RefreshResponse ToResponse(this PollResult result, Source source) => new(
        result.Status switch
        {
            PollStatus.Ok => "ok",
            PollStatus.NotModified => "not-modified",
            PollStatus.Gone => "gone",
            _ => "error",
        },
        result.HttpStatus,
        result.NewPosts,
        result.UpdatedPosts,
        result.Error,
        source.ToResponse());

    private static SourceFetchResponse FetchOf(Source source)
    {
        var fetch = source.Fetch;
        // A source not polled yet waits its own interval.
        (int? Minutes, string? Code) interval = fetch.Stopped
            ? (null, null)
            : (fetch.EffectiveIntervalMinutes ?? source.IntervalMinutes,
               fetch.IntervalReason ?? (source.IntervalChosen ? IntervalReason.Interval : IntervalReason.Default).Code);
        return new(
            fetch.LastStatus,
            fetch.LastCheckedAt?.UtcDateTime,
            fetch.LastSuccessAt?.UtcDateTime,
            fetch.NextCheckAt?.UtcDateTime,
            interval.Minutes,
            interval.Code is null ? null : IntervalReason.Describe(interval.Code, fetch.ErrorCount),
            fetch.ErrorCount,
            fetch.LastError,
            fetch.Stopped,
            fetch.Warnings);
    }

    private static SourcePushResponse PushOf(Source source)
    {
        if (source.Push is not { } push)
        {
            var reason = source.Fetch.LastSuccessAt is null
                ? "The feed has not been read yet."
                : "The feed advertises no WebSub hub (rel=\"hub\" with rel=\"self\").";
            return new SourcePushResponse("polled", reason, null, null, null, null);
        }

        var why = push.State switch
        {
            PushState.Active => null,
            PushState.Wanted => $"Subscribing to the hub at {push.Hub}.",
            PushState.Requested => $"Waiting for the hub at {push.Hub} to verify the subscription.",
            _ => push.Reason ?? "The hub's subscription failed.",
        };
        return new SourcePushResponse(
            push.State == PushState.Active ? "pushed" : "polled", why, push.Hub, push.Topic, push.LeaseEndsAt?.UtcDateTime, push.LastPushAt?.UtcDateTime);
    }
}
