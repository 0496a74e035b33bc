using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;

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
            var body = new JsonObject
            {
                ["url"] = Inputs.HttpUrl(context.Value(url), "URL"),
                ["tags"] = new JsonArray([.. (context.Value(tags) ?? []).Select(t => JsonValue.Create(t))]),
                ["mode"] = context.Value(publish) ? "publish" : "draft",
            };
            if (context.Value(title) is { } name)
            {
                body["title"] = name;
            }

            if (context.Value(interval) is { } minutes)
            {
                body["intervalMinutes"] = minutes;
            }

            if (context.Value(backfill))
            {
                body["backfill"] = true;
            }

            var source = await context.Client.PostAsync("api/sources", body, context.Cancellation);
            if (context.Value(json))
            {
                context.Print(source);
            }
            else
            {
                context.Out.WriteLine($"Added source {source.Show("id")}: {source.Show("title")} ({source.Show("url")}), new items become {(source.Str("mode") == "publish" ? "posts" : "drafts")}");
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
            var sources = (await context.Client.GetAsync("api/sources", context.Cancellation)).Items().ToList();
            if (context.Value(json))
            {
                CliJson.PrintArray(context.Out, sources);
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "MODE", "LAST", "CHECKED", "ERRORS", "TITLE", "URL");
            foreach (var source in sources)
            {
                var fetch = source.Prop("fetch");
                var last = fetch.Prop("stopped").ValueKind == JsonValueKind.True ? "stopped" : fetch.Show("lastStatus");
                table.AddColoured(2, Style.StatusColour(last), source.Show("id"), source.Show("mode"), last, fetch.ShowTime("lastCheckedAt"), fetch.Show("errorCount"), source.Show("title"), source.Show("url"));
            }

            table.Write(context.Out, context.Style);
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
            await context.Client.DeleteAsync($"api/sources/{context.Value(id)}", context.Cancellation);
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
            var result = await context.Client.PostAsync($"api/sources/{context.Value(id)}/refresh", null, context.Cancellation);
            var status = result.Show("status");
            if (context.Value(json))
            {
                context.Print(result);
            }
            else
            {
                var error = result.Str("error") is { } e ? $": {e}" : "";
                context.Out.WriteLine($"{context.Style.Status(status)} (HTTP {result.Show("httpStatus")}): {result.Show("newPosts")} new, {result.Show("updatedPosts")} updated{error}");
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

            using var content = new StringContent(opml, System.Text.Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/x-opml") { CharSet = "utf-8" };
            var result = await context.Client.SendAsync(HttpMethod.Post, "api/sources/import", content, context.Cancellation);
            if (context.Value(json))
            {
                context.Print(result);
                return ExitCodes.Ok;
            }

            context.Out.WriteLine($"Added {result.Show("created")} source(s) of {result.Show("outlines")} feed outline(s), skipped {result.Show("skipped")}");
            if (result.Prop("notImported") is { ValueKind: JsonValueKind.Array } skipped)
            {
                foreach (var outline in skipped.EnumerateArray())
                {
                    context.Out.WriteLine($"  outline {outline.Show("outline")}, {outline.Show("url")}: {outline.Show("reason")}");
                }
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
            using var response = await context.Client.SendRawAsync(HttpMethod.Get, "api/sources.opml", null, context.Cancellation);
            var opml = await response.Content.ReadAsStringAsync(context.Cancellation);
            await OutputFile.WriteAsync(context.Value(output), context.Out, writer => writer.WriteAsync(opml), context.Cancellation);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<long> IdArgument() => new("ID") { Description = "The source's id (from feeds sources ls)." };
}
