using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.Tokens;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds tokens create|ls|revoke</c>: API tokens over <c>/api/tokens</c>.</summary>
internal static class TokenCommands
{
    public static Command Tokens(Cli cli)
    {
        var command = cli.Command("tokens", "Creates, lists and revokes API tokens.", "feeds tokens create laptop", "feeds tokens ls", "feeds tokens revoke 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a");
        command.Subcommands.Add(Create(cli));
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Revoke(cli));
        return command;
    }

    private static Command Create(Cli cli)
    {
        var command = cli.Command("create", "Creates a token. It is printed this once: the server keeps only its hash.", "feeds tokens create 'phone shortcut'", "feeds tokens create ci --json | jq -r .token");
        var name = new Argument<string>("NAME") { Description = "What the token is for." };
        var json = Cli.JsonOption();
        command.Arguments.Add(name);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var token = await context.Client.CreateTokenAsync(new CreateTokenRequest(context.Value(name)), context.Cancellation);
            if (context.Value(json))
            {
                context.Print(token);
            }
            else
            {
                context.Error.WriteLine($"Created token '{token.Name}' (id {CliJson.Show(token.Id)}). It is shown only now:");
                context.Out.WriteLine(token.Token);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Cli cli)
    {
        var command = cli.Command("ls", "Lists tokens (never their secrets).", "feeds tokens ls --json");
        var json = Cli.JsonOption();
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var tokens = await context.Client.ListTokensAsync(context.Cancellation);
            if (context.Value(json))
            {
                context.Print(tokens);
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "NAME", "CREATED", "REVOKED");
            foreach (var token in tokens)
            {
                table.Add(CliJson.Show(token.Id), token.Name, CliJson.ShowTime(token.CreatedAt), CliJson.ShowTime(token.RevokedAt));
            }

            table.Write(context.Out, context.Style);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(Cli cli)
    {
        var command = cli.Command("revoke", "Revokes a token at once.", "feeds tokens revoke 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a");
        var id = new Argument<string>("ID") { Description = "The token's id (from feeds tokens ls)." };
        command.Arguments.Add(id);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var tokenId = Inputs.TokenId(context.Value(id));
            await context.Client.RevokeTokenAsync(tokenId, context.Cancellation);
            context.Out.WriteLine($"Revoked {tokenId}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
