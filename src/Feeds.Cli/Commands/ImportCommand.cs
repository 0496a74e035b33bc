using System.CommandLine;
using Feeds.Cli.Bookmarks;
using Feeds.Cli.Terminal;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds import FILE</c>: bookmarks and Feeds exports in, keeping dates, tags and notes; safe to run again.</summary>
internal static class ImportCommand
{
    public static Command Import(Cli cli)
    {
        var command = cli.Command(
            "import",
            "Imports posts from a Feeds export, Pinboard JSON or a Netscape bookmark file.",
            "feeds import pinboard_export.json",
            "feeds import bookmarks.html --json",
            "feeds export -o backup.json && feeds --server https://new.example import backup.json");
        cli.Details(command, """
            Formats, told apart by content: a Feeds export (feeds export); Pinboard JSON; Netscape bookmark files
            from browsers, Pinboard, Shaarli, linkding and del.icio.us (ADD_DATE, LAST_MODIFIED, TAGS, PRIVATE,
            TOREAD, <DD> descriptions).
            Posts from a Feeds export keep their ids and slugs, so their permalinks and feed entry ids survive a
            move to another server; a post whose slug another post has already is refused.
            Bookmarks keep their dates, tags and descriptions (as commentary); private and unread ones become
            drafts. Links that are not http(s) are left out with a note. Within a bookmark file the first bookmark
            of a URL is imported and later ones with the same URL count as duplicates. Imported posts appear in the
            feeds but send no webhooks.
            Batches are stored whole or not at all, and running the command again imports only what is not there
            yet: an interrupted import is finished by running the same command again.
            Exits with 1 when the server refused some items (each is listed on stderr); the others are imported.
            """);
        var file = new Argument<string>("FILE") { Description = "The file to import ('-' for stdin)." };
        var format = new Option<string>("--format") { Description = "The file's format, if telling it from the content is not enough.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(BookmarkImport.Formats);
        var batchSize = new Option<int>("--batch-size") { Description = $"Posts per request (1 to {Importer.MaxBatchItems}).", DefaultValueFactory = _ => Importer.MaxBatchItems };
        var parallel = new Option<int>("--parallel") { Description = "Batches sent at once (1 to 4); 1 stores them strictly in date order.", DefaultValueFactory = _ => 2, HelpName = "N" };
        var json = Cli.JsonOption();
        command.Arguments.Add(file);
        command.Options.Add(format);
        command.Options.Add(batchSize);
        command.Options.Add(parallel);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            var size = context.Value(batchSize);
            if (size is < 1 or > Importer.MaxBatchItems)
            {
                throw new CliException(ExitCodes.Usage, $"--batch-size must be between 1 and {Importer.MaxBatchItems}.");
            }

            var inFlight = context.Value(parallel);
            if (inFlight is < 1 or > 4)
            {
                throw new CliException(ExitCodes.Usage, "--parallel must be between 1 and 4.");
            }

            context.RequireToken();
            var path = context.Value(file);
            var loaded = await BookmarkImport.LoadAsync(path, context.Environment.In, context.Value(format)!, context.Environment.Clock.GetUtcNow(), context.Cancellation);
            var progress = new ProgressBar(context.Error, context.Environment.Decorates(context.Environment.ErrorIsTerminal), loaded.Count, "posts");
            context.Progress = progress;
            context.InterruptedMessage = $"feeds: interrupted before anything was imported from {path}.";
            var importer = new Importer(context.Client, progress)
            {
                BatchSize = size,
                InFlight = inFlight,
                BatchStored = done => context.InterruptedMessage =
                    $"feeds: interrupted after {done} of {loaded.Count} posts; run the same command again to import the rest (nothing is imported twice).",
            };
            progress.Report(0, force: true);
            var result = await importer.RunAsync(loaded.Items, context.Cancellation);
            progress.Clear();

            PrintNotes(context, loaded.Notes);
            foreach (var refused in result.Refused.OrderBy(r => r.Position))
            {
                context.Error.WriteLine($"feeds: #{refused.Position} {refused.Url} was refused: {string.Join("; ", refused.Errors)}");
            }

            if (context.Value(json))
            {
                PrintJson(context, loaded, result);
            }
            else
            {
                var parts = new List<string> { $"{Style.Count(result.Created)} new", $"{Style.Count(result.Existing)} already there" };
                if (loaded.Duplicates > 0)
                {
                    parts.Add($"{Style.Count(loaded.Duplicates)} duplicate URLs skipped");
                }

                if (loaded.NotLinks > 0)
                {
                    parts.Add($"{Style.Count(loaded.NotLinks)} non-web links left out");
                }

                if (result.Refused.Count > 0)
                {
                    parts.Add($"{Style.Count(result.Refused.Count)} refused");
                }

                context.Out.WriteLine($"Imported {Style.Count(result.Done)} posts from {path} ({loaded.Format}): {string.Join(", ", parts)}.");
            }

            return result.Refused.Count > 0 ? ExitCodes.Usage : ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintNotes(CommandContext context, IReadOnlyList<string> notes)
    {
        const int Shown = 20;
        foreach (var note in notes.Take(Shown))
        {
            context.Error.WriteLine($"note: {note}");
        }

        if (notes.Count > Shown)
        {
            context.Error.WriteLine($"note: … and {notes.Count - Shown} more");
        }
    }

    private static void PrintJson(CommandContext context, ImportFile loaded, ImportResult result) =>
        context.Print(new ImportSummary(
            loaded.Format,
            loaded.Count,
            result.Created,
            result.Existing,
            loaded.Duplicates,
            loaded.NotLinks,
            [.. result.Refused.OrderBy(r => r.Position)],
            loaded.Notes));
}
