using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Feeds.Server.Publishing;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Publishing;

/// <summary>A publish re-renders exactly the feeds it appears in, counted through the service's own metrics.</summary>
public sealed class RegenerationScopeTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    private readonly FeedsServer _server = new();
    private readonly ConcurrentQueue<string> _regenerated = new();
    private readonly MeterListener _listener = new();

    public RegenerationScopeTests()
    {
        var meters = _server.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "feeds.regenerated")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "feed")
                {
                    _regenerated.Enqueue((string)tag.Value!);
                }
            }
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task A_publish_re_renders_the_firehose_its_tags_and_the_combinations_in_use_it_belongs_to_and_nothing_else()
    {
        var author = _server.CreateAuthorizedClient();
        var reader = _server.CreateClient();
        for (var i = 0; i < 120; i++)
        {
            await author.PublishAsync($"Background {i}", $"t{i % 40}", $"t{(i + 7) % 40}");
        }

        // Two combinations in use: one the new post belongs to, one it does not.
        await reader.WaitForTitleAsync("/tags/t1+t2.atom", "", Soon);
        await reader.WaitForTitleAsync("/tags/t3+t4.atom", "", Soon);
        await reader.WaitForTitleAsync("/everything.atom", "Background 119", Soon);
        await WaitUntilQuietAsync();
        _regenerated.Clear();

        await author.PublishAsync("The one", "t1", "t2");
        await reader.WaitForTitleAsync("/tags/t1+t2.atom", "The one", Soon);
        await WaitUntilQuietAsync();

        Assert.Equal(["everything", "tag:t1", "tag:t1+t2", "tag:t2"], _regenerated.Order(StringComparer.Ordinal));
    }

    /// <summary>Waits until nothing has been rendered for a while, so a run still under way has finished.</summary>
    private async Task WaitUntilQuietAsync()
    {
        var seen = -1;
        while (seen != _regenerated.Count)
        {
            seen = _regenerated.Count;
            await Task.Delay(400);
        }
    }
}
