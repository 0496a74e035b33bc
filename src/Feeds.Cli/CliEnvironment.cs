using System.Collections;

namespace Feeds.Cli;

/// <summary>
/// Everything the tool takes from the world around it: standard streams, whether they are terminals, environment
/// variables, and how it opens HTTP connections. The console in production; plain strings and a live test server in tests.
/// </summary>
public sealed class CliEnvironment
{
    public required TextReader In { get; init; }
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }

    /// <summary>Environment variables; the tool reads no other.</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; init; } = new Dictionary<string, string?>();

    public bool InputIsTerminal { get; init; }
    public bool OutputIsTerminal { get; init; }
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Makes the handler under every HTTP client the tool creates; null for the default.</summary>
    public Func<HttpMessageHandler>? HttpHandler { get; init; }

    /// <summary>Where relative times (<c>--at +2h</c>) count from, and what an export is stamped with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Reads a secret from the terminal without echoing it; only ever called when <see cref="InputIsTerminal"/>.</summary>
    public Func<string, string?>? ReadSecret { get; init; }

    public string? Variable(string name) => Variables.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Colour and progress bars: only on a terminal, never with <c>NO_COLOR</c> or <c>TERM=dumb</c>.</summary>
    public bool Decorates(bool terminal) => terminal && Variable("NO_COLOR") is null && Variable("TERM") != "dumb";

    public static CliEnvironment FromConsole()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        // Standard output is buffered (an export writes a lot) and flushed when the command ends; errors and progress are not.
        var output = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false));
        var error = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false)) { AutoFlush = true };
        return new CliEnvironment
        {
            In = Console.In,
            Out = output,
            Error = error,
            Variables = variables,
            InputIsTerminal = !Console.IsInputRedirected,
            OutputIsTerminal = !Console.IsOutputRedirected,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            ReadSecret = ReadHidden,
        };
    }

    private static string? ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }
}
