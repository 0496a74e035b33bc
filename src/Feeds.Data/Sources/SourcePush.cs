namespace Feeds.Data.Sources;

/// <summary>Where a source's subscription to its upstream hub stands; stored by <see cref="PushStates"/> name.</summary>
public enum PushState
{
    /// <summary>The feed advertises a hub; no request has been sent yet.</summary>
    Wanted,

    /// <summary>A subscription request was accepted by the hub, which has yet to verify it.</summary>
    Requested,

    /// <summary>The hub verified the subscription: the source is pushed until the lease ends.</summary>
    Active,

    /// <summary>The hub refused, denied, could not be reached, or the lease ended: the source is polled (<see cref="SourcePush.Reason"/> says why).</summary>
    Failed,
}

public static class PushStates
{
    public static string ToName(this PushState state) => state.ToString().ToLowerInvariant();

    public static PushState Parse(string name) =>
        Enum.TryParse<PushState>(name, ignoreCase: true, out var state) ? state : throw new InvalidDataException($"unknown push state '{name}'");
}

/// <summary>
/// A source's WebSub subscription: the hub and topic its feed advertises, the callback token and secret Feeds gave the
/// hub, and how it stands.
/// </summary>
public sealed record SourcePush
{
    public required string Hub { get; init; }

    /// <summary>The feed's <c>rel="self"</c>: the topic named to the hub, and the only one a verification may name.</summary>
    public required string Topic { get; init; }

    public required PushState State { get; init; }

    /// <summary>Why the source is not pushed, for <see cref="PushState.Failed"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>The last path segment of the callback; null until a request was sent.</summary>
    public string? CallbackToken { get; init; }

    public string? Secret { get; init; }

    public DateTimeOffset? LeaseEndsAt { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>When the subscription next needs attention: the first request, a renewal, a retry, or the end of a lease not renewed.</summary>
    public DateTimeOffset? NextAt { get; init; }

    public DateTimeOffset? LastPushAt { get; init; }

    /// <summary>Whether the hub holds a verified subscription at <paramref name="now"/>.</summary>
    public bool HoldsAt(DateTimeOffset now) => State == PushState.Active && LeaseEndsAt > now;
}

/// <summary>What a read document advertised for WebSub: a hub and the topic, or nothing (both null).</summary>
public sealed record SourceHub(string? Hub, string? Topic)
{
    public static readonly SourceHub None = new(null, null);
}
