using System.CommandLine;
using System.Globalization;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.WebSub;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds subscribers</c>: who the built-in WebSub hub pushes each feed to, over <c>/api/websub/subscriptions</c>.</summary>
internal static class SubscriberCommands
{
    public static Command Subscribers(Cli cli) => ListingCommand.Create(
        cli,
        "subscribers",
        "Lists the WebSub subscribers of each feed: their callback, state (active or expired), lease end and last delivery.",
        ["feeds subscribers", "feeds subscribers --json | jq '.topics[] | {topic, active}'"],
        (client, cancellationToken) => client.ListWebSubSubscriptionsAsync(cancellationToken),
        Table,
        list => $"{list.Topics.Sum(t => t.Active)} active subscriptions to {list.Topics.Count} feeds.");

    private static Table Table(WebSubSubscriptionListResponse list)
    {
        var table = new Table("TOPIC", "CALLBACK", "STATE", "LEASE ENDS", "LAST DELIVERY");
        foreach (var topic in list.Topics)
        {
            foreach (var subscriber in topic.Subscribers)
            {
                var last = subscriber.LastDelivery switch
                {
                    null => "",
                    { Succeeded: true } ok => $"{CliJson.ShowTime(ok.AttemptedAt)} {ok.StatusCode}",
                    { } failed => $"{CliJson.ShowTime(failed.AttemptedAt)} failed: {failed.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? failed.Error}",
                };
                table.Add(topic.Topic, subscriber.Callback, subscriber.State, CliJson.ShowTime(subscriber.LeaseEndsAt), last);
            }
        }

        return table;
    }
}
