using System.Collections.Concurrent;
using Dapper;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.WebSub;

namespace Feeds.Server.Tests.Cluster;

/// <summary>
/// Every node runs the shared outbox's dispatcher over the one database (WebSub distributions, hub pings, ActivityPub
/// deliveries): each delivery is claimed by one node, so no two nodes attempt it at once.
/// </summary>
public sealed class DeliveryClaimTests
{
    private const int Subscribers = 6;

    /// <summary>Longer than the dispatcher's sweep, so a node that did not claim would find the delivery still pending.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task Each_delivery_of_the_shared_outbox_is_attempted_by_one_node_at_a_time()
    {
        await using var subscriber = await TestSubscriber.StartAsync();
        var inFlight = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var overlapping = new ConcurrentBag<string>();
        subscriber.Accept = async (path, _) =>
        {
            if (inFlight.AddOrUpdate(path, 1, (_, n) => n + 1) > 1)
            {
                overlapping.Add(path);
            }

            await Task.Delay(Hold);
            inFlight.AddOrUpdate(path, 0, (_, n) => n - 1);
            return 204;
        };
        await using var nodes = await TwoNodes.StartAsync(WebSubHub.FastSettings());
        using var author = nodes.A.CreateAuthorizedClient();
        var callbacks = Enumerable.Range(0, Subscribers).Select(i => $"cb{i}").ToList();
        foreach (var callback in callbacks)
        {
            await author.SubscribeAsync(nodes.A.Topic(), subscriber.Url(callback));
        }

        await nodes.B.CreateAuthorizedClient().CreateAsync(Infrastructure.Posts.Valid("Sent once from one of two nodes"));

        Assert.True(await TestSubscriber.WaitUntilAsync(() => callbacks.All(c => Carrying(subscriber, c).Count >= 1), TimeSpan.FromSeconds(20)),
            "not every subscriber received the new document");
        // Long enough for either node to have sent any delivery again: a sweep, and a whole held attempt.
        await Task.Delay(Hold + TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        Assert.Empty(overlapping);
        Assert.All(callbacks, c => Assert.Single(Carrying(subscriber, c)));
        await using var database = await nodes.OpenAsync();
        Assert.Empty(await database.QueryAsync<string>(
            "select delivery_id from delivery_attempts group by delivery_id having count(*) > 1"));
        Assert.Equal(0, await database.ExecuteScalarAsync<long>("select count(*) from deliveries where claimed_by is not null"));
    }

    private static IReadOnlyList<Distribution> Carrying(TestSubscriber subscriber, string callback) =>
        [.. subscriber.At(callback).Where(d => d.Text.Contains("Sent once from one of two nodes", StringComparison.Ordinal))];
}
