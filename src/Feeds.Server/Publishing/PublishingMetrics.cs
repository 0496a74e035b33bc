using System.Diagnostics.Metrics;

namespace Feeds.Server.Publishing;

/// <summary>
/// The publishing instruments of the <c>Feeds</c> meter, for dotnet-counters or an OpenTelemetry exporter: how many
/// feeds regeneration renders, by kind (a tag per feed would make one time series per tag), and how long a run takes.
/// Which feeds a run rendered is logged at Debug level.
/// </summary>
public sealed class PublishingMetrics
{
    public const string MeterName = "Feeds";

    private readonly Counter<long> _regenerated;
    private readonly Histogram<double> _runDuration;

    public PublishingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _regenerated = meter.CreateCounter<long>("feeds.regenerated", "{feed}", "Feeds rendered by regeneration (every format of one feed counts once).");
        _runDuration = meter.CreateHistogram<double>("feeds.regeneration.duration", "s", "How long one regeneration run took.");
    }

    public void Regenerated(string feedKey) => _regenerated.Add(1, new KeyValuePair<string, object?>("feed.kind", KindOf(feedKey)));

    public void RunTook(TimeSpan duration) => _runDuration.Record(duration.TotalSeconds);

    private static string KindOf(string feedKey) =>
        feedKey == Core.Syndication.FeedKey.Everything.Value ? "firehose" : Core.Syndication.FeedKey.IsCombination(feedKey) ? "combination"
        : Core.Syndication.FeedKey.SiteOf(feedKey) is not null ? "site" : "tag";
}
