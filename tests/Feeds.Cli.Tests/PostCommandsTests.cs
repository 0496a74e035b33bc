using System.Text.Json;
using Feeds.Cli.Tests.Infrastructure;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Feeds.Cli.Tests;

public sealed class PostCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Cli _cli = new(fixture.Server);

    [Fact]
    public async Task Post_publishes_a_link_with_title_tags_commentary_and_via()
    {
        var post = await _cli.JsonAsync(
            "post", "https://sqlite.org/wal.html", "-t", "Write-Ahead Logging", "--tag", "SQLite", "--tag", "Databases",
            "-m", "Readers *never* block writers.", "--via", "https://lobste.rs/");

        Assert.Equal("published", post.GetProperty("status").GetString());
        Assert.Equal("Write-Ahead Logging", post.GetProperty("title").GetString());
        Assert.Equal(["SQLite", "Databases"], post.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("<p>Readers <em>never</em> block writers.</p>", post.GetProperty("commentaryHtml").GetString());
        Assert.Equal("https://lobste.rs/", post.GetProperty("via").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Post_prints_one_line_with_the_permalink_for_people()
    {
        var result = await _cli.OkAsync("post", "https://example.com/plain", "-t", "Plain");
        Assert.StartsWith("Published http://127.0.0.1:", result.Out, StringComparison.Ordinal);
        Assert.Contains("/plain", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_reads_the_commentary_from_stdin_when_it_is_not_a_terminal()
    {
        var result = await _cli.RunAsync(["post", "https://example.com/piped", "-t", "Piped", "--json"], stdin: "From a pipe.\n\nTwo paragraphs.\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("From a pipe.\n\nTwo paragraphs.", result.Json.GetProperty("commentary").GetString());
    }

    [Fact]
    public async Task Post_without_a_title_fetches_the_pages_title()
    {
        var page = await _cli.JsonAsync("post", "https://example.com/fish", "-t", "Fish & Chips <at> \"Home\"");

        var result = await _cli.RunAsync("post", page.GetProperty("permalink").GetString()!, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Fish & Chips <at> \"Home\"", result.Json.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("Title: Fish & Chips", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_without_a_title_of_an_unreachable_page_asks_for_one()
    {
        var result = await _cli.RunAsync("post", "http://127.0.0.1:9/nothing-here");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("give one with -t", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_and_future_times_save_drafts_and_schedule()
    {
        var draft = await _cli.JsonAsync("post", "https://example.com/draft", "-t", "Later", "--draft");
        var scheduled = await _cli.JsonAsync("post", "https://example.com/scheduled", "-t", "Soon", "--at", "+2d");
        var backdated = await _cli.JsonAsync("post", "https://example.com/backdated", "-t", "Then", "--at", "2020-02-03T04:05:06Z");

        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal("scheduled", scheduled.GetProperty("status").GetString());
        Assert.Equal("published", backdated.GetProperty("status").GetString());
        Assert.Equal("2020-02-03T04:05:06Z", backdated.GetProperty("publishedAt").GetString());
    }

    [Fact]
    public async Task A_relative_time_counts_from_the_tool_clock()
    {
        var cli = new Infrastructure.Cli(fixture.Server) { Clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 23, 30, 0, TimeSpan.Zero)) };

        var post = await cli.JsonAsync("post", "https://example.com/relative", "-t", "Relative", "--at", "+2h");

        Assert.Equal("2025-03-02T01:30:00Z", post.GetProperty("publishedAt").GetString());
        Assert.EndsWith("/2025/03/02/relative", post.GetProperty("permalink").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_validation_errors_are_printed_per_field_with_exit_code_1()
    {
        var result = await _cli.RunAsync("post", "https://example.com/bad", "-t", "Bad tags", "--tag", "!!!", "--tag", new string('x', 101));
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("tags[0]: must contain at least one letter or digit.", result.Error, StringComparison.Ordinal);
        Assert.Contains("tags[1]: must be at most 100 characters.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_with_options_changes_just_those_fields()
    {
        var id = await NewPostAsync("Before", "keep", "drop");

        var edited = await _cli.JsonAsync("edit", id, "--title", "After", "--add-tag", "new", "--remove-tag", "DROP", "-m", "Now with words.");

        Assert.Equal("After", edited.GetProperty("title").GetString());
        Assert.Equal(["keep", "new"], edited.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Now with words.", edited.GetProperty("commentary").GetString());
        Assert.Equal("https://example.com/Before", edited.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Edit_without_options_opens_the_editor_and_applies_what_changed()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the stand-in editor is a shell script");
        var id = await NewPostAsync("In the editor", "one");
        var editor = Path.Combine(_cli.Home, "editor.sh");
        await File.WriteAllTextAsync(editor, """
            #!/bin/sh
            sed -i -e 's/"In the editor"/"Edited in the editor"/' -e 's/^Commentary of.*$/Line one\n\nLine *two*/' "$1"
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _cli.Variables["EDITOR"] = editor;

        var result = await _cli.RunAsync("edit", id, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Edited in the editor", result.Json.GetProperty("title").GetString());
        Assert.Equal("Line one\n\nLine *two*", result.Json.GetProperty("commentary").GetString());
        Assert.Equal(["one"], result.Json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Edit_that_changes_nothing_sends_nothing()
    {
        var id = await NewPostAsync("Untouched");
        _cli.Variables["EDITOR"] = "true";

        var result = await _cli.RunAsync("edit", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No changes.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_without_an_editor_and_without_a_terminal_refuses_instead_of_waiting()
    {
        var id = await NewPostAsync("No editor");
        _cli.Variables.Remove("EDITOR");
        _cli.Variables.Remove("VISUAL");

        var result = await _cli.RunAsync("edit", id);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("no editor", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_turns_a_draft_into_a_published_post()
    {
        var id = (await _cli.JsonAsync("post", "https://example.com/to-publish", "-t", "To publish", "--draft")).GetProperty("id").GetString()!;

        var published = await _cli.JsonAsync("publish", id);

        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, published.GetProperty("publishedAt").ValueKind);
    }

    [Fact]
    public async Task Rm_deletes_and_a_second_rm_is_not_found()
    {
        var id = await NewPostAsync("Doomed");

        var first = await _cli.RunAsync("rm", id);
        var second = await _cli.RunAsync("rm", id);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"Deleted {id}\n", first.Out.ReplaceLineEndings("\n"));
        Assert.Equal(ExitCodes.NotFound, second.ExitCode);
        Assert.Contains("not found", second.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_id_that_is_not_an_id_is_a_usage_error()
    {
        var result = await _cli.RunAsync("rm", "not-an-id");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("is not a post id", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_lists_by_tag_and_drafts_as_json_arrays()
    {
        var tag = $"ls-{Guid.NewGuid():N}"[..12];
        var older = await NewPostAsync("Ls older", tag);
        var newer = await NewPostAsync("Ls newer", tag);
        var draft = (await _cli.JsonAsync("post", "https://example.com/ls-draft", "-t", "Ls draft", "--tag", tag, "--draft")).GetProperty("id").GetString();

        var byTag = await _cli.JsonAsync("ls", "--tag", tag);
        var drafts = await _cli.JsonAsync("ls", "--tag", tag, "--drafts");

        Assert.Equal([draft, newer, older], byTag.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal([draft], drafts.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Ls_pages_through_everything_with_all()
    {
        var tag = $"many-{Guid.NewGuid():N}"[..12];
        for (var i = 0; i < 5; i++)
        {
            await NewPostAsync($"Many {i}", tag);
        }

        var limited = await _cli.RunAsync("ls", "--tag", tag, "--limit", "2");
        var all = await _cli.JsonAsync("ls", "--tag", tag, "--all");

        Assert.Equal(3, limited.Out.Trim().Split('\n').Length);
        Assert.Contains("more posts follow", limited.Error, StringComparison.Ordinal);
        Assert.Equal(5, all.GetArrayLength());
    }

    [Fact]
    public async Task Without_a_token_ls_shows_published_posts_and_writes_need_one()
    {
        var anonymous = new Infrastructure.Cli(_cli.Server, token: null);
        await NewPostAsync("Public");
        await _cli.OkAsync("post", "https://example.com/secret", "-t", "Secret draft", "--draft");

        var listed = await anonymous.JsonAsync("ls", "--all");
        var write = await anonymous.RunAsync("post", "https://example.com/", "-t", "x");

        Assert.All(listed.EnumerateArray(), p => Assert.Equal("published", p.GetProperty("status").GetString()));
        Assert.Equal(ExitCodes.Auth, write.ExitCode);
        Assert.Contains("feeds login", write.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_exits_with_3()
    {
        var wrong = new Infrastructure.Cli(_cli.Server, token: "feeds_not-a-real-token");
        var result = await wrong.RunAsync("ls");
        Assert.Equal(ExitCodes.Auth, result.ExitCode);
        Assert.Contains("refused the token from FEEDS_TOKEN", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_2()
    {
        var result = await _cli.RunAsync("--server", "http://127.0.0.1:9", "ls");
        Assert.Equal(ExitCodes.Server, result.ExitCode);
        Assert.Contains("cannot reach http://127.0.0.1:9/", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> NewPostAsync(string title, params string[] tags)
    {
        string[] args = ["post", $"https://example.com/{title.Replace(' ', '-')}", "-t", title, "-m", $"Commentary of {title}.", .. tags.SelectMany(t => new[] { "--tag", t })];
        return (await _cli.JsonAsync(args)).GetProperty("id").GetString()!;
    }
}
