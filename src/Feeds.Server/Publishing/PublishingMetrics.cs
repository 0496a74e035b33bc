using System.Diagnostics.Metrics;

namespace Feeds.Server.Publishing;

/// <summary>
/// The publishing instruments of the <c>Feeds</c> meter, for dotnet-counters or an OpenTelemetry exporter:
/// which feeds regeneration renders and how long a regeneration run takes.
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

    public void Regenerated(string feedKey) => _regenerated.Add(1, new KeyValuePair<string, object?>("feed", feedKey));

    public void RunTook(TimeSpan duration, int feeds) =>
        _runDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("feeds", feeds));
}
