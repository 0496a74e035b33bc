using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds followers</c>: who follows the site and each tag on the fediverse, over <c>/api/activitypub/followers</c>.</summary>
internal static class FollowerCommands
{
    public static Command Followers(Cli cli)
    {
        var command = cli.Command(
            "followers",
            "Lists the fediverse followers of the site's actor and of each tag's: who, their inbox and since when.",
            "feeds followers",
            "feeds followers --json | jq '.actors[] | {handle, count: (.followers | length)}'");
        var json = Cli.JsonOption();
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var list = await context.Client.ListFollowersAsync(context.Cancellation);
            if (context.Value(json))
            {
                context.Print(list);
                return ExitCodes.Ok;
            }

            var table = new Table("ACTOR", "FOLLOWER", "INBOX", "SINCE");
            foreach (var actor in list.Actors)
            {
                foreach (var follower in actor.Followers)
                {
                    table.Add(actor.Handle, follower.Id, follower.SharedInbox ?? follower.Inbox, CliJson.ShowTime(follower.FollowedAt));
                }
            }

            table.Write(context.Out, context.Style);
            context.Error.WriteLine($"{list.Actors.Sum(a => a.Followers.Count)} follows of {list.Actors.Count(a => a.Followers.Count > 0)} actors.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
