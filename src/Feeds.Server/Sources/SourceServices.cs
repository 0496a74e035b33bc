using Feeds.Data.Sources;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources;

/// <summary>What the source handlers need besides the request itself, bound with <c>[AsParameters]</c>.</summary>
public sealed record SourceServices(
    SourceStore Store, FeedLocator Locator, SourcePoller Poller, PollSchedule Schedule, IOptions<SourceOptions> Options, TimeProvider Clock);
