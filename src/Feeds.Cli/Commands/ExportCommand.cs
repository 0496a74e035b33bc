using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Bookmarks;
using Feeds.Cli.Terminal;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds export</c>: every post, of every status, as a Feeds export or a Netscape bookmark file.</summary>
internal static class ExportCommand
{
    public static Command Export(Cli cli)
    {
        var command = cli.Command(
            "export",
            "Writes every post, drafts and scheduled ones too, newest first.",
            "feeds export -o backup.json",
            "feeds export --format netscape > bookmarks.html");
        cli.Details(command, """
            json (the default) keeps everything: `feeds import` of it on an empty server recreates the same posts
            with the same links, titles, commentary, tags, via, status and times, and the same ids and slugs, so
            permalinks and feed entry ids stay as they were (keep Feeds:Publishing:IdAuthority too).
            netscape is the bookmark file browsers and bookmarking services read. It has no place for "via", keeps
            times to the second, and writes commas inside tag names as spaces. Drafts and scheduled posts are PRIVATE.
            With -o the file appears only once it is complete.
            """);
        var format = new Option<string>("--format") { Description = "json or netscape.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "netscape");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (complete or not at all) instead of stdout.", HelpName = "FILE" };
        command.Options.Add(format);
        command.Options.Add(output);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var netscape = context.Value(format) == "netscape";
            var count = 0;
            await OutputFile.WriteAsync(context.Value(output), context.Out, async writer =>
            {
                if (netscape)
                {
                    await NetscapeBookmarks.WriteHeaderAsync(writer);
                }
                else
                {
                    await FeedsExport.WriteHeaderAsync(writer, context.Connection.Server, context.Environment.Clock.GetUtcNow());
                }

                string? cursor = null;
                do
                {
                    var page = await context.Client.ListPostsAsync(
                        "status=any&limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), context.Cancellation);
                    foreach (var post in page.Items)
                    {
                        if (netscape)
                        {
                            await NetscapeBookmarks.WritePostAsync(writer, post);
                        }
                        else
                        {
                            await FeedsExport.WritePostAsync(writer, post, first: count == 0);
                        }

                        count++;
                    }

                    cursor = page.Next;
                }
                while (cursor is not null);

                await (netscape ? NetscapeBookmarks.WriteFooterAsync(writer) : FeedsExport.WriteFooterAsync(writer));
            }, context.Cancellation);

            if (context.Value(output) is { } path && path != "-")
            {
                context.Error.WriteLine($"Exported {Style.Count(count)} posts to {path}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
