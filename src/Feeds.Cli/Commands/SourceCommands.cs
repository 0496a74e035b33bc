using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.Sources;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds sources add|ls|rm|refresh|import-opml|export-opml</c>: the feeds the server polls, over <c>/api/sources</c>.</summary>
internal static class SourceCommands
{
    public static Command Sources(Cli cli)
    {
        var command = cli.Command(
            "sources",
            "Manages the upstream feeds the server polls; their new items become drafts (or posts, with --publish).",
            "feeds sources add https://simonwillison.net/atom/everything/ --tag ai",
            "feeds sources ls",
            "feeds sources refresh 3",
            "feeds sources import-opml subscriptions.opml");
        foreach (var sub in (Command[])[Add(cli), List(cli), Remove(cli), Refresh(cli), ImportOpml(cli), ExportOpml(cli)])
        {
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static Command Add(Cli cli)
    {
        var command = cli.Command(
            "add",
            "Adds a source: a feed URL, or a page that links to its feed.",
            "feeds sources add https://lwn.net/headlines/rss --tag linux",
            "feeds sources add https://example.com/blog --publish --interval 120 --backfill");
        var url = new Argument<string>("URL") { Description = "The feed (or a page announcing it)." };
        var title = new Option<string?>("--title", "-t") { Description = "A title of your own instead of the feed's." };
        var tags = new Option<string[]>("--tag") { Description = "Tag every post from this source; repeat for several.", HelpName = "TAG" };
        var publish = new Option<bool>("--publish") { Description = "Publish new items at once instead of saving them as drafts." };
        var interval = new Option<int?>("--interval") { Description = "Minutes between polls (default: the server's).", HelpName = "MINUTES" };
        var backfill = new Option<bool>("--backfill") { Description = "Also bring in the items already in the feed, not only new ones." };
        var json = Cli.JsonOption();
        command.Arguments.Add(url);
        foreach (var option in (Option[])[title, tags, publish, interval, backfill, json])
        {
            command.Options.Add(option);
        }

        cli.Action(command, async context =>
        {
            context.RequireToken();
            var body = new SourceInput(
                Inputs.HttpUrl(context.Value(url), "URL"),
                context.Value(title),
                context.Value(tags) ?? [],
                context.Value(publish) ? "publish" : "draft",
                context.Value(interval),
                context.Value(backfill) ? true : null);
            var source = await context.Client.AddSourceAsync(body, context.Cancellation);
            if (context.Value(json))
            {
                context.Print(source);
            }
            else
            {
                context.Out.WriteLine($"Added source {CliJson.Show(source.Id)}: {source.Title} ({source.Url}), new items become {(source.Mode == "publish" ? "posts" : "drafts")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Cli cli)
    {
        var command = cli.Command("ls", "Lists sources with how their last poll went.", "feeds sources ls", "feeds sources ls --json | jq '.[] | select(.fetch.errorCount > 0)'");
        var json = Cli.JsonOption();
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var sources = (await context.Client.ListSourcesAsync(context.Cancellation)).Items;
            if (context.Value(json))
            {
                context.Print(sources);
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "MODE", "UPDATES", "LAST", "CHECKED", "ERRORS", "TITLE", "URL");
            var notes = new List<string>();
            foreach (var source in sources)
            {
                var fetch = source.Fetch;
                var last = fetch.Stopped ? "stopped" : CliJson.Show(fetch.LastStatus);
                table.AddColoured(3, Style.StatusColour(last), CliJson.Show(source.Id), source.Mode, source.Push.Updates, last, CliJson.ShowTime(fetch.LastCheckedAt),
                    CliJson.Show(fetch.ErrorCount), source.Title, source.Url);
                // A source whose feed advertises a hub but is polled says why; so does every warning of its last read.
                if (source.Push is { Hub: not null, Reason: { } reason })
                {
                    notes.Add($"{source.Id}: polled: {reason}");
                }

                notes.AddRange(fetch.Warnings.Select(w => $"{source.Id}: warning: {w}"));
            }

            table.Write(context.Out, context.Style);
            if (notes.Count > 0)
            {
                context.Out.WriteLine();
                notes.ForEach(context.Out.WriteLine);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(Cli cli)
    {
        var command = cli.Command("rm", "Removes a source. The posts it brought in stay.", "feeds sources rm 3");
        var id = IdArgument();
        command.Arguments.Add(id);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            await context.Client.RemoveSourceAsync(context.Value(id), context.Cancellation);
            context.Out.WriteLine($"Removed source {context.Value(id)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Refresh(Cli cli)
    {
        var command = cli.Command("refresh", "Polls a source now and shows what came of it; exits with 2 when the feed failed or is gone.", "feeds sources refresh 3");
        var id = IdArgument();
        var json = Cli.JsonOption();
        command.Arguments.Add(id);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var result = await context.Client.RefreshSourceAsync(context.Value(id), context.Cancellation);
            var status = result.Status;
            if (context.Value(json))
            {
                context.Print(result);
            }
            else
            {
                var error = result.Error is { } e ? $": {e}" : "";
                context.Out.WriteLine($"{context.Style.Status(status)} (HTTP {CliJson.Show(result.HttpStatus)}): {CliJson.Show(result.NewPosts)} new, {CliJson.Show(result.UpdatedPosts)} updated{error}");
            }

            return status is "ok" or "not-modified" ? ExitCodes.Ok : ExitCodes.Server;
        });
        return command;
    }

    private static Command ImportOpml(Cli cli)
    {
        var command = cli.Command("import-opml", "Adds every feed of an OPML file (from a feed reader's export) as a source; ones already there are skipped.", "feeds sources import-opml subscriptions.opml");
        var file = new Argument<FileInfo>("FILE") { Description = "The OPML file ('-' for stdin)." };
        var json = Cli.JsonOption();
        command.Arguments.Add(file);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var path = context.Value(file);
            string opml;
            try
            {
                opml = path.Name == "-" ? await context.Environment.In.ReadToEndAsync(context.Cancellation) : await File.ReadAllTextAsync(path.FullName, context.Cancellation);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.Usage, $"cannot read {path}: {e.Message}");
            }

            var result = await context.Client.ImportOpmlAsync(opml, context.Cancellation);
            if (context.Value(json))
            {
                context.Print(result);
                return ExitCodes.Ok;
            }

            context.Out.WriteLine($"Added {CliJson.Show(result.Created)} source(s) of {CliJson.Show(result.Outlines)} feed outline(s), skipped {CliJson.Show(result.Skipped)}");
            foreach (var outline in result.NotImported ?? [])
            {
                context.Out.WriteLine($"  outline {CliJson.Show(outline.Outline)}, {outline.Url}: {outline.Reason}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ExportOpml(Cli cli)
    {
        var command = cli.Command("export-opml", "Writes every source as OPML, for a feed reader or another Feeds.", "feeds sources export-opml -o subscriptions.opml");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (complete or not at all) instead of stdout.", HelpName = "FILE" };
        command.Options.Add(output);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var opml = await context.Client.ExportOpmlAsync(context.Cancellation);
            await OutputFile.WriteAsync(context.Value(output), context.Out, writer => writer.WriteAsync(opml), context.Cancellation);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<long> IdArgument() => new("ID") { Description = "The source's id (from feeds sources ls)." };
}
