using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;

namespace Feeds.Cli.Commands;

/// <summary>One running command: its parsed line, streams, cancellation, and a client made on first use.</summary>
internal sealed class CommandContext(Cli cli, ParseResult parse, CancellationToken cancellationToken) : IDisposable
{
    private FeedsClient? _client;

    public ParseResult Parse => parse;

    public CliEnvironment Environment => cli.Environment;

    public CancellationToken Cancellation => cancellationToken;

    public TextWriter Out => cli.Environment.Out;

    public TextWriter Error => cli.Environment.Error;

    /// <summary>Styling for stdout: colour on a terminal without NO_COLOR, nothing otherwise.</summary>
    public Style Style { get; } = new(cli.Environment.Decorates(cli.Environment.OutputIsTerminal));

    /// <summary>A progress bar to clear before an error is printed.</summary>
    public ProgressBar? Progress { get; set; }

    /// <summary>What to say instead of "interrupted" when Ctrl-C stops the command (an import says how to resume).</summary>
    public string? InterruptedMessage { get; set; }

    public Connection Connection => Client.Connection;

    public FeedsClient Client => _client ??= new FeedsClient(Connection.Resolve(parse.GetValue(cli.Server), parse.GetValue(cli.Token), cli.Environment), cli.Environment);

    public T? Value<T>(Option<T> option) => parse.GetValue(option);

    public T Value<T>(Argument<T> argument) => parse.GetValue(argument)!;

    /// <summary>Fails with exit code 3 before a request that is bound to be refused for want of a token.</summary>
    public void RequireToken()
    {
        if (Connection.Token is null)
        {
            throw new CliException(ExitCodes.Auth, $"{Connection.Server} needs a token for this. Run `feeds login`, or pass --token or set FEEDS_TOKEN.");
        }
    }

    public void Print<T>(T value) => CliJson.Print(Out, value);

    public void Dispose() => _client?.Dispose();
}
