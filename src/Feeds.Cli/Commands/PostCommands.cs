using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.Posts;
using Feeds.Contracts.Text;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds post</c>, <c>edit</c>, <c>publish</c>, <c>rm</c> and <c>ls</c>: link posts over <c>/api/posts</c>.</summary>
internal static class PostCommands
{
    public static Command Post(Cli cli)
    {
        var command = cli.Command(
            "post",
            "Posts a link.",
            "feeds post https://sqlite.org/wal.html --tag sqlite --tag databases -m 'Readers never block writers.'",
            "feeds post https://example.com/essay -e --draft",
            "pbpaste | feeds post https://example.com/ -t 'An example' --at 2025-03-01T09:00",
            "feeds post https://example.com/ --via https://lobste.rs/ --at +2h --json");
        cli.Details(command, """
            The post is published at once, unless --draft, or --at with a future time (which schedules it).
            Commentary (Markdown) comes from -m, from $VISUAL or $EDITOR with -e, or from stdin when stdin is not
            a terminal. Without -t the page is fetched (10 s at most) and its og:title or <title> is used and shown.
            """);
        var url = new Argument<string>("URL") { Description = "The link." };
        var title = new Option<string?>("--title", "-t") { Description = "The link's title; fetched from the page when left out.", HelpName = "TITLE" };
        var tags = TagOption("A tag; repeat for several.");
        var message = MessageOption();
        var edit = new Option<bool>("--edit", "-e") { Description = "Write the commentary in $VISUAL or $EDITOR." };
        var via = new Option<string?>("--via") { Description = "Where you found the link (a URL).", HelpName = "URL" };
        var draft = new Option<bool>("--draft") { Description = "Save as a draft instead of publishing." };
        var at = AtOption("Publish at TIME: a future time schedules the post, a past one backdates it.");
        var json = Cli.JsonOption();
        foreach (var option in (Option[])[title, tags, message, edit, via, draft, at, json])
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(url);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var link = Inputs.HttpUrl(context.Value(url), "URL");
            if (context.Value(message) is not null && context.Value(edit))
            {
                throw new CliException(ExitCodes.Usage, "give the commentary with -m or write it with -e, not both.");
            }

            var commentary = await CommentaryAsync(context, context.Value(message), context.Value(edit), "", readStdin: true);
            var name = context.Value(title);
            if (name is null)
            {
                name = await PageTitle.FetchAsync(context.Environment, link, context.Cancellation);
                context.Error.WriteLine($"Title: {name}");
            }

            var body = new PostInput
            {
                Url = link,
                Title = name,
                Commentary = commentary is { Length: > 0 } ? commentary : null,
                Tags = context.Value(tags) ?? [],
                Via = context.Value(via) is { } viaUrl ? new ViaInput(Inputs.HttpUrl(viaUrl, "--via"), null) : null,
                Status = context.Value(draft) ? "draft" : null,
                PublishAt = context.Value(at) is { } time ? Inputs.Time(time, "--at", context.Environment.Clock) : null,
            };
            var post = await context.Client.CreatePostAsync(body, context.Cancellation);
            foreach (var earlier in post.EarlierPosts ?? [])
            {
                context.Error.WriteLine($"Posted before: {earlier.Permalink} ({earlier.Status} {CliJson.ShowTime(earlier.Date)} UTC, id {CliJson.Show(earlier.Id)})");
            }

            Show(context, post, context.Value(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Edit(Cli cli)
    {
        var command = cli.Command(
            "edit",
            "Changes a post: in your editor, or field by field with options.",
            "feeds edit 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a",
            "feeds edit 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a --title 'A better title' --add-tag reading",
            "feeds edit 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a -m - < commentary.md");
        cli.Details(command, """
            With no option besides ID, the post opens in $VISUAL or $EDITOR: a JSON header with url, title, tags,
            via, status and publishAt, then a line of three dashes, then the commentary as Markdown. Save and quit
            to apply what changed; change nothing to leave the post alone. If the server refuses the edit, your text
            is kept in a file named in the message. With options, only those fields change (no editor opens).
            """);
        var id = new Argument<string>("ID") { Description = "The post's id." };
        var title = new Option<string?>("--title", "-t") { Description = "New title.", HelpName = "TITLE" };
        var url = new Option<string?>("--url") { Description = "New link.", HelpName = "URL" };
        var tags = TagOption("Replace the tags with these; repeat for several.");
        var addTags = new Option<string[]>("--add-tag") { Description = "Add a tag; repeat for several.", HelpName = "TAG" };
        var removeTags = new Option<string[]>("--remove-tag") { Description = "Remove a tag (by name or slug); repeat for several.", HelpName = "TAG" };
        var message = MessageOption();
        var via = new Option<string?>("--via") { Description = "Where you found the link; an empty string removes it.", HelpName = "URL" };
        var draft = new Option<bool>("--draft") { Description = "Take the post back to draft." };
        var at = AtOption("Publish (or re-schedule) at TIME.");
        var json = Cli.JsonOption();
        command.Arguments.Add(id);
        foreach (var option in (Option[])[title, url, tags, addTags, removeTags, message, via, draft, at, json])
        {
            command.Options.Add(option);
        }

        cli.Action(command, async context =>
        {
            context.RequireToken();
            var postId = Inputs.PostId(context.Value(id));
            var patch = new PostPatch();
            if (context.Value(title) is { } newTitle)
            {
                patch.Title = newTitle;
            }

            if (context.Value(url) is { } newUrl)
            {
                patch.Url = Inputs.HttpUrl(newUrl, "--url");
            }

            if (await CommentaryAsync(context, context.Value(message), edit: false, "", readStdin: false) is { } commentary)
            {
                patch.Commentary = commentary;
            }

            if (context.Value(via) is { } newVia)
            {
                patch.Via = newVia.Length == 0 ? null : new ViaPatch { Url = Inputs.HttpUrl(newVia, "--via") };
            }

            if (context.Value(draft))
            {
                patch.Status = "draft";
            }

            if (context.Value(at) is { } time)
            {
                patch.Status = "published";
                patch.PublishAt = Inputs.Time(time, "--at", context.Environment.Clock);
            }

            var replace = context.Value(tags) ?? [];
            var add = context.Value(addTags) ?? [];
            var remove = context.Value(removeTags) ?? [];
            if (replace.Length > 0 || add.Length > 0 || remove.Length > 0)
            {
                List<string> current = replace.Length > 0 ? [.. replace] : [.. (await context.Client.GetPostAsync(postId, context.Cancellation)).Tags];
                current.AddRange(add.Where(a => !current.Any(c => SameTag(c, a))));
                current.RemoveAll(c => remove.Any(r => SameTag(c, r)));
                patch.Tags = current;
            }

            if (patch.IsEmpty)
            {
                return await EditInEditorAsync(context, postId, context.Value(json));
            }

            Show(context, await context.Client.PatchPostAsync(postId, patch, context.Cancellation), context.Value(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Publish(Cli cli)
    {
        var command = cli.Command(
            "publish",
            "Publishes a draft or scheduled post now, or at --at.",
            "feeds publish 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a",
            "feeds publish 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a --at 2025-03-01T09:00");
        var id = new Argument<string>("ID") { Description = "The post's id." };
        var at = AtOption("Publish at TIME instead of now.");
        var json = Cli.JsonOption();
        command.Arguments.Add(id);
        command.Options.Add(at);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var patch = new PostPatch
            {
                Status = "published",
                PublishAt = context.Value(at) is { } time ? Inputs.Time(time, "--at", context.Environment.Clock) : null,
            };
            Show(context, await context.Client.PatchPostAsync(Inputs.PostId(context.Value(id)), patch, context.Cancellation), context.Value(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Remove(Cli cli)
    {
        var command = cli.Command("rm", "Deletes posts. Their slugs stay taken, so old permalinks never point at a different post.", "feeds rm 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a");
        var ids = new Argument<string[]>("ID") { Description = "The ids of the posts to delete.", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(ids);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var checkedIds = context.Value(ids).Select(Inputs.PostId).ToList();
            foreach (var postId in checkedIds)
            {
                await context.Client.DeletePostAsync(postId, context.Cancellation);
                context.Out.WriteLine($"Deleted {postId}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command List(Cli cli)
    {
        var command = cli.Command(
            "ls",
            "Lists posts, newest first: every status with a token, published ones without.",
            "feeds ls",
            "feeds ls --tag python --limit 10",
            "feeds ls --drafts --json | jq -r '.[].url'",
            "feeds ls --source 3 --all");
        var tag = new Option<string?>("--tag") { Description = "Only posts with this tag." };
        var drafts = new Option<bool>("--drafts") { Description = "Only drafts." };
        var status = new Option<string?>("--status") { Description = "Only posts with this status: draft, scheduled, published or any." };
        status.AcceptOnlyFromAmong("draft", "scheduled", "published", "any");
        var source = new Option<long?>("--source") { Description = "Only posts drafted from this source.", HelpName = "ID" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many posts to show.", DefaultValueFactory = _ => 50 };
        var all = new Option<bool>("--all") { Description = "Show every post (pages through the whole list)." };
        var json = Cli.JsonOption();
        foreach (var option in (Option[])[tag, drafts, status, source, limit, all, json])
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

            var statusFilter = context.Value(drafts) ? "draft" : context.Value(status);
            if (statusFilter is null && context.Connection.Token is not null)
            {
                statusFilter = "any";
            }

            var query = new List<string>();
            if (context.Value(tag) is { } tagName)
            {
                query.Add("tag=" + Uri.EscapeDataString(tagName));
            }

            if (statusFilter is not null)
            {
                query.Add("status=" + statusFilter);
            }

            if (context.Value(source) is { } sourceId)
            {
                query.Add("sourceId=" + sourceId);
            }

            var (posts, more) = await ListAsync(context.Client, query, wanted, context.Cancellation);
            if (context.Value(json))
            {
                context.Print<IReadOnlyList<PostResponse>>(posts);
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "STATUS", "DATE", "TITLE", "TAGS");
            foreach (var post in posts)
            {
                table.AddColoured(1, Style.StatusColour(post.Status), CliJson.Show(post.Id), post.Status, DateOf(post), post.Title, string.Join(", ", post.Tags));
            }

            table.Write(context.Out, context.Style);
            if (more)
            {
                context.Error.WriteLine($"(more posts follow: use --limit or --all)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Up to <paramref name="wanted"/> posts, paging with the server's cursor; also whether more follow.</summary>
    public static async Task<(List<PostResponse> Posts, bool More)> ListAsync(FeedsClient client, List<string> query, int wanted, CancellationToken cancellationToken)
    {
        const int PageSize = 200;
        var posts = new List<PostResponse>();
        string? cursor = null;
        do
        {
            var page = await client.ListPostsAsync(
                string.Join('&', query.Append($"limit={Math.Min(PageSize, wanted - posts.Count)}").Concat(cursor is null ? [] : [$"cursor={Uri.EscapeDataString(cursor)}"])),
                cancellationToken);
            posts.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null && posts.Count < wanted);

        return (posts, cursor is not null);
    }

    /// <summary>One line for a person, or the post as JSON.</summary>
    public static void Show(CommandContext context, PostResponse post, bool json)
    {
        if (json)
        {
            context.Print(post);
            return;
        }

        var what = post.Status switch
        {
            "published" => "Published",
            "scheduled" => $"Scheduled for {CliJson.ShowTime(post.PublishAt)} UTC:",
            _ => "Saved draft",
        };
        context.Out.WriteLine($"{context.Style.Colour(Style.StatusColour(post.Status) ?? "0", what)} {post.Permalink}  (id {CliJson.Show(post.Id)})");
    }

    public static string DateOf(PostResponse post) => CliJson.ShowTime(post.PublishedAt ?? post.PublishAt ?? post.CreatedAt);

    private static Option<string[]> TagOption(string description) => new("--tag") { Description = description, HelpName = "TAG" };

    private static Option<string?> MessageOption() => new("--message", "-m") { Description = "Commentary in Markdown; '-' reads it from stdin.", HelpName = "TEXT" };

    private static Option<string?> AtOption(string description) =>
        new("--at") { Description = description + " ISO 8601 (2025-03-01T09:00, local time unless it has an offset or Z) or relative (+30m, +2h, +1d).", HelpName = "TIME" };

    /// <summary>Whether a tag a person types means <paramref name="a"/>: its name in any case, or its slug as the server makes it.</summary>
    private static bool SameTag(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase) || Slugs.ForTag(a) == Slugs.ForTag(b);

    /// <summary>The commentary from -m (or stdin for '-'), the editor, or piped stdin; null when none was given.</summary>
    private static async Task<string?> CommentaryAsync(CommandContext context, string? message, bool edit, string initial, bool readStdin)
    {
        if (message == "-" || (message is null && !edit && readStdin && !context.Environment.InputIsTerminal))
        {
            var text = await context.Environment.In.ReadToEndAsync(context.Cancellation);
            return message is null && text.Length == 0 ? null : text.TrimEnd('\n', '\r');
        }

        if (message is not null)
        {
            return message;
        }

        return edit ? (await Editor.EditAsync(context, initial, ".md")).TrimEnd('\n', '\r') : null;
    }

    private static async Task<int> EditInEditorAsync(CommandContext context, string id, bool json)
    {
        var post = await context.Client.GetPostAsync(id, context.Cancellation);
        var original = PostText.From(post);
        var edited = await Editor.EditAsync(context, original.Render(), ".feeds-post.txt");
        PostPatch? patch;
        try
        {
            patch = original.PatchTo(PostText.Parse(edited));
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, $"the edited post could not be read ({e.Message}); nothing was changed.", [$"your text was saved to {SaveForLater(edited)}"]);
        }

        if (patch is null)
        {
            context.Error.WriteLine("No changes.");
            return ExitCodes.Ok;
        }

        try
        {
            Show(context, await context.Client.PatchPostAsync(id, patch, context.Cancellation), json);
        }
        catch (CliException e) when (e.ExitCode == ExitCodes.Usage)
        {
            throw new CliException(e.ExitCode, e.Message, [.. e.Details, $"your text was saved to {SaveForLater(edited)}"]);
        }

        return ExitCodes.Ok;
    }

    private static string SaveForLater(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"feeds-edit-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        return path;
    }
}
