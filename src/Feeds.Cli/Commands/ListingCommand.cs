using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;

namespace Feeds.Cli.Commands;

/// <summary>
/// A command that shows one listing the API gives a token holder: as the API's JSON with <c>--json</c>, else as a table
/// on stdout with a one-line count on stderr (so the table pipes cleanly).
/// </summary>
internal static class ListingCommand
{
    public static Command Create<T>(
        Cli cli,
        string name,
        string description,
        string[] examples,
        Func<FeedsClient, CancellationToken, Task<T>> read,
        Func<T, Table> table,
        Func<T, string> count)
    {
        var command = cli.Command(name, description, examples);
        var json = Cli.JsonOption();
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var listing = await read(context.Client, context.Cancellation);
            if (context.Value(json))
            {
                context.Print(listing);
                return ExitCodes.Ok;
            }

            table(listing).Write(context.Out, context.Style);
            context.Error.WriteLine(count(listing));
            return ExitCodes.Ok;
        });
        return command;
    }
}
