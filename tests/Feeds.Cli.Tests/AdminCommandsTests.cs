using System.Text.Json;
using Feeds.Cli.Tests.Infrastructure;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Cli.Tests;

/// <summary>tags, tokens and webhooks: the commands that look after the site rather than its posts.</summary>
public sealed class AdminCommandsTests(AdminCommandsTests.Server fixture) : IClassFixture<AdminCommandsTests.Server>
{
    private readonly Infrastructure.Cli _cli = new(fixture.Server);

    public sealed class Server : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Feeds:Webhooks:AllowPrivateNetworks"] = "true",
            // Port 9 (discard) stands for an endpoint where nothing listens.
            ["Feeds:Webhooks:AllowedPorts"] = "9, 80, 443, 1024-65535",
            ["Feeds:Webhooks:Timeout"] = "00:00:02",
            ["Feeds:Webhooks:ConnectTimeout"] = "00:00:01",
        };
    }

    [Fact]
    public async Task Tags_lists_counts_and_renames_by_name()
    {
        var old = $"Old {Guid.NewGuid():N}"[..12];
        await _cli.OkAsync("post", "https://example.com/tagged", "-t", "Tagged", "--tag", old);

        var before = await _cli.JsonAsync("tags");
        var renamed = await _cli.JsonAsync("tags", "--rename", old, "Brand New Name");
        var after = await _cli.JsonAsync("tags");

        Assert.Contains(before.EnumerateArray(), t => t.GetProperty("name").GetString() == old && t.GetProperty("publishedCount").GetInt32() == 1);
        Assert.Equal("brand-new-name", renamed.GetProperty("slug").GetString());
        Assert.DoesNotContain(after.EnumerateArray(), t => t.GetProperty("name").GetString() == old);
        Assert.Contains(after.EnumerateArray(), t => t.GetProperty("name").GetString() == "Brand New Name");
    }

    [Fact]
    public async Task Renaming_a_tag_that_does_not_exist_is_not_found()
    {
        var result = await _cli.RunAsync("tags", "--rename", "no-such-tag-at-all", "whatever");
        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
    }

    [Fact]
    public async Task Tokens_are_created_once_listed_without_secrets_and_revoked()
    {
        var created = await _cli.RunAsync("tokens", "create", "laptop");
        var token = created.Out.Trim();
        var withNew = new Infrastructure.Cli(_cli.Server, token);
        var listed = await _cli.JsonAsync("tokens", "ls");
        var id = listed.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "laptop").GetProperty("id").GetString()!;

        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("feeds_", token, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, (await withNew.RunAsync("ls")).ExitCode);

        await _cli.OkAsync("tokens", "revoke", id);
        Assert.Equal(ExitCodes.Auth, (await withNew.RunAsync("ls")).ExitCode);
        Assert.Equal(ExitCodes.NotFound, (await _cli.RunAsync("tokens", "revoke", id)).ExitCode);
    }

    [Fact]
    public async Task Webhooks_are_added_listed_pinged_inspected_replayed_and_removed()
    {
        var added = await _cli.JsonAsync("webhooks", "add", "http://127.0.0.1:9/hook", "--event", "post.published", "--tag", "hooks");
        var id = added.GetProperty("id").GetString()!;
        Assert.StartsWith("whsec_", added.GetProperty("secret").GetString(), StringComparison.Ordinal);

        var listed = await _cli.JsonAsync("webhooks", "ls");
        Assert.Contains(listed.EnumerateArray(), w => w.GetProperty("id").GetString() == id && !w.TryGetProperty("secret", out _));

        var ping = await _cli.RunAsync("webhooks", "ping", id);
        Assert.Equal(ExitCodes.Server, ping.ExitCode);
        Assert.Contains("not delivered", ping.Out, StringComparison.Ordinal);

        var messages = await _cli.JsonAsync("webhooks", "messages", id);
        var message = messages.EnumerateArray().First();
        Assert.Equal("webhook.ping", message.GetProperty("type").GetString());

        var replay = await _cli.JsonAsync("webhooks", "replay", id, "--since", "-1h");
        Assert.True(replay.GetProperty("replayed").GetInt32() >= 0);

        await _cli.OkAsync("webhooks", "rm", id);
        Assert.Equal(ExitCodes.NotFound, (await _cli.RunAsync("webhooks", "messages", id)).ExitCode);
    }

    [Fact]
    public async Task Replay_needs_to_be_told_what_to_replay()
    {
        var result = await _cli.RunAsync("webhooks", "replay", Guid.NewGuid().ToString());
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--message", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_listing_prints_a_json_array()
    {
        foreach (string[] command in (string[][])[["ls"], ["tags"], ["tokens", "ls"], ["webhooks", "ls"]])
        {
            var json = await _cli.JsonAsync(command);
            Assert.Equal(JsonValueKind.Array, json.ValueKind);
        }
    }
}
