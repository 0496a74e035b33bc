using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds subscribers</c>: who the built-in WebSub hub pushes each feed to, over <c>/api/websub/subscriptions</c>.</summary>
internal static class SubscriberCommands
{
    public static Command Subscribers(Cli cli)
    {
        var command = cli.Command(
            "subscribers",
            "Lists the WebSub subscribers of each feed: their callback, state (active or expired), lease end and last delivery.",
            "feeds subscribers",
            "feeds subscribers --json | jq '.topics[] | {topic, active}'");
        var json = Cli.JsonOption();
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var list = await context.Client.ListWebSubSubscriptionsAsync(context.Cancellation);
            if (context.Value(json))
            {
                context.Print(list);
                return ExitCodes.Ok;
            }

            var table = new Table("TOPIC", "CALLBACK", "STATE", "LEASE ENDS", "LAST DELIVERY");
            foreach (var topic in list.Topics)
            {
                foreach (var subscriber in topic.Subscribers)
                {
                    var last = subscriber.LastDelivery switch
                    {
                        null => "",
                        { Succeeded: true } ok => $"{CliJson.ShowTime(ok.AttemptedAt)} {ok.StatusCode}",
                        { } failed => $"{CliJson.ShowTime(failed.AttemptedAt)} failed: {failed.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? failed.Error}",
                    };
                    table.Add(topic.Topic, subscriber.Callback, subscriber.State, CliJson.ShowTime(subscriber.LeaseEndsAt), last);
                }
            }

            table.Write(context.Out, context.Style);
            context.Error.WriteLine($"{list.Topics.Sum(t => t.Active)} active subscriptions to {list.Topics.Count} feeds.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
