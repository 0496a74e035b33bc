using Feeds.Data.Sources;

namespace Feeds.Server.Sources;

/// <summary>How a poll went, in the words of the API: <c>ok</c>, <c>not-modified</c>, <c>error</c> or <c>gone</c>.</summary>
public enum PollStatus
{
    Ok,
    NotModified,
    Error,
    Gone,
}

/// <summary>The outcome of polling one source.</summary>
/// <param name="InvalidItems">New items that did not make a valid post and were skipped.</param>
/// <param name="Source">The source as stored after the poll; null when it was deleted meanwhile.</param>
public sealed record PollResult(PollStatus Status, int? HttpStatus, int NewPosts, int UpdatedPosts, int InvalidItems, string? Error, Source? Source);
