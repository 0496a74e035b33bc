namespace Feeds.Contracts.Sources;

/// <summary>
/// How polling a source goes. <see cref="LastError"/> says in words what went wrong last, until a poll succeeds;
/// <see cref="EffectiveIntervalMinutes"/> is the wait before <see cref="NextCheckAt"/> (before jitter) and
/// <see cref="IntervalReason"/> why it is that long. Both are null once polling has stopped. <see cref="Warnings"/> are
/// what the parser read past in the last document read (an empty RSS document read as an empty feed, for instance).
/// </summary>
public sealed record SourceFetchResponse(
    int? LastStatus,
    DateTime? LastCheckedAt,
    DateTime? LastSuccessAt,
    DateTime? NextCheckAt,
    int? EffectiveIntervalMinutes,
    string? IntervalReason,
    int ErrorCount,
    string? LastError,
    bool Stopped,
    IReadOnlyList<string> Warnings);
