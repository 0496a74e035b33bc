using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.Tags;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds tags</c>: the tag list with published counts, and renames (which merge into an existing tag).</summary>
internal static class TagCommands
{
    public static Command Tags(Cli cli)
    {
        var command = cli.Command(
            "tags",
            "Lists tags with their published post counts, or renames one.",
            "feeds tags",
            "feeds tags --json",
            "feeds tags --rename js JavaScript");
        cli.Details(command, "Renaming onto the name of an existing tag merges the two. The old tag's feed and page URLs redirect to the new ones.");
        var rename = new Option<string[]>("--rename")
        {
            Description = "Rename tag OLD (its name or slug) to NEW.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
            HelpName = "OLD NEW",
        };
        var json = Cli.JsonOption();
        command.Options.Add(rename);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            var tags = await context.Client.ListTagsAsync(context.Cancellation);
            if (context.Value(rename) is [var old, var to])
            {
                context.RequireToken();
                var slug = tags.FirstOrDefault(t => t.Slug == old)?.Slug
                    ?? tags.FirstOrDefault(t => string.Equals(t.Name, old, StringComparison.OrdinalIgnoreCase))?.Slug
                    ?? throw new CliException(ExitCodes.NotFound, $"there is no tag '{old}'.");
                var renamed = await context.Client.RenameTagAsync(slug, new RenameTagRequest(to), context.Cancellation);
                if (context.Value(json))
                {
                    context.Print(renamed);
                }
                else
                {
                    context.Out.WriteLine($"{(renamed.Merged ? "Merged" : "Renamed")} '{old}' into '{renamed.Name}' ({renamed.Slug})");
                }

                return ExitCodes.Ok;
            }

            if (context.Value(json))
            {
                context.Print(tags);
                return ExitCodes.Ok;
            }

            var table = new Table("TAG", "SLUG", "POSTS");
            foreach (var tag in tags)
            {
                table.Add(tag.Name, tag.Slug, CliJson.Show(tag.PublishedCount));
            }

            table.Write(context.Out, context.Style);
            return ExitCodes.Ok;
        });
        return command;
    }
}
