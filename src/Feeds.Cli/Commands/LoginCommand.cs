using System.CommandLine;
using Feeds.Cli.Api;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds login</c>: checks a token against the server and saves both for later commands.</summary>
internal static class LoginCommand
{
    public static Command Login(Cli cli)
    {
        var command = cli.Command(
            "login",
            "Checks a server and token and saves them for the commands that follow.",
            "feeds login --server https://links.example",
            "echo \"$FEEDS_ADMIN_TOKEN\" | feeds login --server https://links.example");
        cli.Details(command, """
            Saved in $XDG_CONFIG_HOME/feeds/config.json (~/.config/feeds/config.json without XDG_CONFIG_HOME), readable
            and writable by you only. The saved token is sent only to the saved server. Without --token (or
            FEEDS_TOKEN) the token is asked for on a terminal without echo, or read from stdin when that is not one.
            """);
        cli.Action(command, async context =>
        {
            var connection = Connection.Resolve(context.Value(cli.Server), context.Value(cli.Token), context.Environment);
            var token = connection.Token is not null && connection.TokenSource is "--token" or "FEEDS_TOKEN" ? connection.Token : null;
            if (token is null)
            {
                token = context.Environment.InputIsTerminal && context.Environment.ReadSecret is { } prompt
                    ? prompt($"Token for {connection.Server}: ")
                    : await context.Environment.In.ReadLineAsync(context.Cancellation);
                token = token?.Trim();
                if (string.IsNullOrEmpty(token))
                {
                    throw new CliException(ExitCodes.Usage, "no token given: pass --token, set FEEDS_TOKEN, or pipe the token on stdin.");
                }
            }

            var config = ConfigFile.Locate(context.Environment)
                ?? throw new CliException(ExitCodes.Usage, "cannot tell where to save the login: set HOME or XDG_CONFIG_HOME.");
            using (var client = new FeedsClient(connection with { Token = token, TokenSource = "the token given" }, context.Environment))
            {
                // Listing tokens needs a valid token and changes nothing: a fair test of both server and token.
                await client.ListTokensAsync(context.Cancellation);
            }

            config.Write(new SavedLogin(connection.Server.AbsoluteUri.TrimEnd('/'), token));
            context.Out.WriteLine($"Logged in to {connection.Server.AbsoluteUri.TrimEnd('/')}; saved to {config.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
