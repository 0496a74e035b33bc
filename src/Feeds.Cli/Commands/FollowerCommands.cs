using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.ActivityPub;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds followers</c>: who follows the site and each tag on the fediverse, over <c>/api/activitypub/followers</c>.</summary>
internal static class FollowerCommands
{
    public static Command Followers(Cli cli) => ListingCommand.Create(
        cli,
        "followers",
        "Lists the fediverse followers of the site's actor and of each tag's: who, their inbox and since when.",
        ["feeds followers", "feeds followers --json | jq '.actors[] | {handle, count: (.followers | length)}'"],
        (client, cancellationToken) => client.ListFollowersAsync(cancellationToken),
        Table,
        list => $"{list.Actors.Sum(a => a.Followers.Count)} follows of {list.Actors.Count(a => a.Followers.Count > 0)} actors.");

    private static Table Table(FollowerListResponse list)
    {
        var table = new Table("ACTOR", "FOLLOWER", "INBOX", "SINCE");
        foreach (var actor in list.Actors)
        {
            foreach (var follower in actor.Followers)
            {
                table.Add(actor.Handle, follower.Id, follower.SharedInbox ?? follower.Inbox, CliJson.ShowTime(follower.FollowedAt));
            }
        }

        return table;
    }
}
