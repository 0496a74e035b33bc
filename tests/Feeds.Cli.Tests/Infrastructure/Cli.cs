using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Cli.Tests.Infrastructure;

/// <summary>What one run of the tool did: its exit code and everything it wrote.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement.Clone();

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the tool through its entry point, <see cref="CliApp.RunAsync(string[], CliEnvironment, CancellationToken)"/>,
/// against a live server, with its own config directory and no terminal: exactly what a script would see.
/// </summary>
public sealed class Cli
{
    public Cli(FeedsServer server, string? token = FeedsServer.AdminToken)
    {
        Server = server;
        Home = TempDirectory.Create();
        Variables = new Dictionary<string, string?>
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, "config"),
            ["FEEDS_SERVER"] = server.Address.ToString(),
            ["FEEDS_TOKEN"] = token,
        };
    }

    public FeedsServer Server { get; }

    public string Home { get; }

    public Dictionary<string, string?> Variables { get; }

    /// <summary>The tool's clock; the server keeps its own.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public string ConfigPath => Path.Combine(Home, "config", "feeds", "config.json");

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: "");

    public async Task<CliResult> RunAsync(string[] args, string stdin, Func<HttpMessageHandler>? handler = null, bool terminal = false, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment
        {
            In = new StringReader(stdin),
            Out = output,
            Error = error,
            Variables = Variables,
            OutputIsTerminal = terminal,
            ErrorIsTerminal = terminal,
            HttpHandler = handler,
            Clock = Clock,
        };
        var code = await CliApp.RunAsync(args, environment, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts success, returning the result.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Runs with <c>--json</c> appended, asserts success and returns the JSON printed.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args) => (await OkAsync([.. args, "--json"])).Json;
}

public static class TestData
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata", name);
}
