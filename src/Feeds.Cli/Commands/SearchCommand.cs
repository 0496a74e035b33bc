using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.Posts;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds search QUERY</c>: posts found by the search language over <c>/api/posts?q=</c>, best match first.</summary>
internal static class SearchCommand
{
    public static Command Search(Cli cli)
    {
        var command = cli.Command(
            "search",
            "Finds posts, best match first: every status with a token, published ones without.",
            "feeds search wal",
            "feeds search '\"write ahead\" tag:sqlite -postgres'",
            "feeds search 'site:github.com after:2025-01-01' --all --json | jq -r '.[].url'",
            "feeds search 'is:draft rust*'");
        cli.Details(command, """
            QUERY is words (all must match; wal* for a prefix), "phrases", -word, tag:python, site:example.com
            (subdomains too), before:2025-01-01, after:2025-01-01 and, with a token, is:draft. Quote it for the shell.
            """);
        var text = new Argument<string[]>("QUERY") { Description = "What to find; several words are read as one query.", Arity = ArgumentArity.OneOrMore };
        var limit = new Option<int>("--limit", "-n") { Description = "How many posts to show.", DefaultValueFactory = _ => 50 };
        var all = new Option<bool>("--all") { Description = "Show every post found (pages through all of them)." };
        var json = Cli.JsonOption();
        command.Arguments.Add(text);
        foreach (var option in (Option[])[limit, all, json])
        {
            command.Options.Add(option);
        }

        cli.Action(command, async context =>
        {
            var wanted = context.Value(all) ? int.MaxValue : context.Value(limit);
            if (wanted < 1)
            {
                throw new CliException(ExitCodes.Usage, "--limit must be at least 1.");
            }

            var query = string.Join(' ', context.Value(text));
            var (posts, more) = await PostCommands.ListAsync(context.Client, ["q=" + Uri.EscapeDataString(query)], wanted, context.Cancellation);
            if (context.Value(json))
            {
                context.Print<IReadOnlyList<PostResponse>>(posts);
                return ExitCodes.Ok;
            }

            if (posts.Count == 0)
            {
                context.Error.WriteLine("No post matches.");
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "STATUS", "DATE", "TITLE", "SITE", "TAGS");
            foreach (var post in posts)
            {
                table.AddColoured(1, Style.StatusColour(post.Status), CliJson.Show(post.Id), post.Status, PostCommands.DateOf(post), post.Title, Site(post.Url), string.Join(", ", post.Tags));
            }

            table.Write(context.Out, context.Style);
            if (more)
            {
                context.Error.WriteLine("(more posts follow: use --limit or --all)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Site(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "";
}
