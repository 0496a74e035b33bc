using Feeds.Data.Sources;
using Feeds.Server.WebSub;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources.Push;

/// <summary>What the source callbacks need besides the request itself, bound with <c>[AsParameters]</c>.</summary>
public sealed record SourcePushServices(
    SourcePushStore Store, SourcePoller Poller, PollSchedule Schedule, IOptions<WebSubOptions> Options, TimeProvider Clock, ILogger<SourceSubscriber> Logger);
