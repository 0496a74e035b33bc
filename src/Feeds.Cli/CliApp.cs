using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Feeds.Cli.Commands;

namespace Feeds.Cli;

/// <summary>The <c>feeds</c> tool: <see cref="RunAsync(string[], CliEnvironment, CancellationToken)"/> is all of it.</summary>
public static class CliApp
{
    /// <summary>Runs one command line with the given streams and environment variables; no terminal, no prompts.</summary>
    public static Task<int> RunAsync(
        string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliEnvironment { In = stdin, Out = stdout, Error = stderr, Variables = environment }, cancellationToken);

    /// <summary>Runs one command line and returns its exit code (<see cref="ExitCodes"/>). Cancelling stops it cleanly with 130.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var cli = new Cli(environment);
        var root = cli.BuildRoot();
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = environment.Out,
                    Error = environment.Error,
                    EnableDefaultExceptionHandler = false,
                    // Program.Main turns Ctrl-C and SIGTERM into the cancellation token itself.
                    ProcessTerminationTimeout = null,
                },
                cancellationToken);
        }
        finally
        {
            await environment.Out.FlushAsync(CancellationToken.None);
        }
    }
}

/// <summary>The command tree, its shared options, and the one wrapper that turns failures into messages and exit codes.</summary>
internal sealed class Cli(CliEnvironment environment)
{
    private readonly Dictionary<Command, string[]> _examples = [];
    private readonly Dictionary<Command, string> _details = [];

    public CliEnvironment Environment => environment;

    public Option<string?> Server { get; } = new("--server")
    {
        Description = "The Feeds server, e.g. https://links.example (else FEEDS_SERVER, else the saved login, else http://localhost:5000).",
        Recursive = true,
        HelpName = "URL",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "API token (else FEEDS_TOKEN, else the saved login).",
        Recursive = true,
        HelpName = "TOKEN",
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (listings: an array of the API's objects) instead of text." };

    public RootCommand BuildRoot()
    {
        var root = new RootCommand("feeds: post, curate, import and export links on a Feeds server, over its HTTP API.");
        Details(root, """
            Connection: --server and --token, else FEEDS_SERVER and FEEDS_TOKEN, else what `feeds login` saved.
            Output: text for people; --json on every listing prints an array of the API's objects. Colour and
            progress bars appear only on a terminal, and never with NO_COLOR set. Nothing ever prompts when stdin
            is not a terminal.
            Exit codes: 0 ok; 1 usage or invalid input, including a request the server refused as invalid (400,
            409, 413, 422: its field errors are printed); 2 server error or unreachable; 3 missing or refused token;
            4 not found; 130 interrupted (Ctrl-C or SIGTERM; nothing is left half-written).
            """);
        root.Options.Add(Server);
        root.Options.Add(Token);
        foreach (var command in (Command[])[
            PostCommands.Post(this), PostCommands.Edit(this), PostCommands.Publish(this), PostCommands.Remove(this), PostCommands.List(this), SearchCommand.Search(this),
            TagCommands.Tags(this), SourceCommands.Sources(this), WebhookCommands.Webhooks(this), SubscriberCommands.Subscribers(this), FollowerCommands.Followers(this), TokenCommands.Tokens(this),
            LoginCommand.Login(this), ImportCommand.Import(this), ExportCommand.Export(this)])
        {
            root.Subcommands.Add(command);
        }

        Examples(root, "feeds login --server https://links.example", "feeds post https://sqlite.org/wal.html --tag sqlite -m 'Readers never block writers.'", "feeds ls --drafts");
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help })
            {
                option.Action = new HelpWithExamples(help, _details, _examples);
            }
        }

        return root;
    }

    public Command Command(string name, string description, params string[] examples)
    {
        var command = new Command(name, description);
        Examples(command, examples);
        return command;
    }

    /// <summary>Paragraphs shown by <c>--help</c> after the options; the command list shows only the one-line description.</summary>
    public void Details(Command command, string text) => _details[command] = text;

    public void Examples(Command command, params string[] examples)
    {
        if (examples.Length > 0)
        {
            _examples[command] = examples;
        }
    }

    /// <summary>Sets what <paramref name="command"/> does; every failure becomes a message on stderr and its exit code.</summary>
    public void Action(Command command, Func<CommandContext, Task<int>> handler) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CommandContext(this, parse, cancellationToken);
            try
            {
                return await handler(context);
            }
            catch (CliException e)
            {
                context.Progress?.Clear();
                environment.Error.WriteLine($"feeds: {e.Message}");
                foreach (var detail in e.Details)
                {
                    environment.Error.WriteLine($"  {detail}");
                }

                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Progress?.Clear();
                environment.Error.WriteLine(context.InterruptedMessage ?? "feeds: interrupted.");
                return ExitCodes.Interrupted;
            }
        });

    /// <summary>The standard help, then the command's details and examples.</summary>
    private sealed class HelpWithExamples(HelpAction help, Dictionary<Command, string> details, Dictionary<Command, string[]> examples) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var result = help.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                output.WriteLine("Details:");
                foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
                {
                    output.WriteLine(line.Length == 0 ? "" : $"  {line}");
                }

                output.WriteLine();
            }

            if (examples.TryGetValue(parseResult.CommandResult.Command, out var lines))
            {
                output.WriteLine("Examples:");
                foreach (var line in lines)
                {
                    output.WriteLine($"  {line}");
                }

                output.WriteLine();
            }

            return result;
        }
    }
}
