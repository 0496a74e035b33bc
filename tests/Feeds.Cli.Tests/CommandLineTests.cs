using Feeds.Cli.Tests.Infrastructure;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Cli.Tests;

/// <summary>Help, usage errors, the saved login, and what the tool does on a terminal and off it.</summary>
public sealed class CommandLineTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly FeedsServer _server = fixture.Server;

    public static TheoryData<string> Commands() =>
    [
        "", "post", "edit", "publish", "rm", "ls", "tags", "sources", "sources add", "sources ls", "sources rm", "sources refresh",
        "sources import-opml", "sources export-opml", "webhooks", "webhooks add", "webhooks ls", "webhooks rm", "webhooks ping",
        "webhooks messages", "webhooks replay", "tokens", "tokens create", "tokens ls", "tokens revoke", "login", "import", "export",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_has_help_with_examples(string command)
    {
        var result = await new Infrastructure.Cli(_server).RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  feeds ", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_command_line_exits_with_1_and_says_why_on_stderr()
    {
        var result = await new Infrastructure.Cli(_server).RunAsync("post");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Required argument 'URL' missing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_checks_the_token_and_saves_it_for_the_owner_only()
    {
        var cli = new Infrastructure.Cli(_server, token: null);
        cli.Variables.Remove("FEEDS_SERVER");

        var login = await cli.RunAsync(["login", "--server", _server.Address.ToString()], stdin: FeedsServer.AdminToken + "\n");
        var afterwards = await cli.RunAsync("post", "https://example.com/after-login", "-t", "After login");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"saved to {cli.ConfigPath}", login.Out, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
        }

        Assert.Equal(0, afterwards.ExitCode);
    }

    [Fact]
    public async Task The_saved_token_is_never_sent_to_another_server()
    {
        var cli = new Infrastructure.Cli(_server, token: null);
        cli.Variables.Remove("FEEDS_SERVER");
        await cli.OkAsync("login", "--server", _server.Address.ToString(), "--token", FeedsServer.AdminToken);

        using var other = new FeedsServer();
        var elsewhere = await cli.RunAsync("--server", other.Address.ToString(), "post", "https://example.com/", "-t", "x");

        Assert.Equal(ExitCodes.Auth, elsewhere.ExitCode);
        Assert.Contains("needs a token", elsewhere.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_with_a_refused_token_saves_nothing()
    {
        var cli = new Infrastructure.Cli(_server, token: null);
        var result = await cli.RunAsync("login", "--token", "feeds_wrong");
        Assert.Equal(ExitCodes.Auth, result.ExitCode);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Fact]
    public async Task Login_without_a_token_and_without_a_terminal_does_not_prompt()
    {
        var cli = new Infrastructure.Cli(_server, token: null);
        var result = await cli.RunAsync("login");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("no token given", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Colour_only_on_a_terminal_and_never_with_NO_COLOR()
    {
        var cli = new Infrastructure.Cli(_server);
        await cli.OkAsync("post", "https://example.com/colour", "-t", "Colour");

        var piped = await cli.RunAsync(["ls"], stdin: "");
        var terminal = await cli.RunAsync(["ls"], stdin: "", terminal: true);
        cli.Variables["NO_COLOR"] = "1";
        var noColour = await cli.RunAsync(["ls"], stdin: "", terminal: true);

        Assert.DoesNotContain("\u001b[", piped.Out, StringComparison.Ordinal);
        Assert.Contains("\u001b[32mpublished", terminal.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", noColour.Out, StringComparison.Ordinal);
    }
}
