namespace Feeds.Server.Sources;

/// <summary>Why a source waits as long as it does until its next check; stored by <see cref="Code"/>.</summary>
public sealed record IntervalReason(string Code)
{
    /// <summary>The interval the author chose.</summary>
    public static readonly IntervalReason Interval = new("interval");

    /// <summary>The configured default, as nothing stretched it.</summary>
    public static readonly IntervalReason Default = new("default");

    public static readonly IntervalReason Ttl = new("ttl");

    public static readonly IntervalReason MaxAge = new("max-age");

    /// <summary>The feed publishes rarely: a quarter of its typical gap between items.</summary>
    public static readonly IntervalReason Rhythm = new("rhythm");

    public static readonly IntervalReason Backoff = new("backoff");

    public static readonly IntervalReason RetryAfter = new("retry-after");

    /// <summary>The source's WebSub hub pushes it; it is polled only as a safety net.</summary>
    public static readonly IntervalReason Pushed = new("pushed");

    /// <summary>The reason in words, as the API shows it; <paramref name="errorCount"/> says how far a backoff has gone.</summary>
    public static string Describe(string code, int errorCount) => code switch
    {
        "interval" => "interval",
        "default" => "default interval",
        "ttl" => "feed ttl",
        "max-age" => "Cache-Control max-age",
        "rhythm" => "publishes rarely",
        "backoff" => errorCount == 1 ? "backing off after 1 failure" : $"backing off after {errorCount} failures",
        "retry-after" => "Retry-After",
        "pushed" => "pushed by its WebSub hub; polled as a safety net",
        _ => code,
    };
}
