namespace Feeds.Contracts.WebSub;

/// <summary>The last distribution attempt to a subscriber.</summary>
public sealed record WebSubDeliveryResponse(DateTime AttemptedAt, int? StatusCode, string? Error)
{
    public bool Succeeded => Error is null;
}
