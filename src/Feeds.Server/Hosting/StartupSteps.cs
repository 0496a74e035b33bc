using System.Diagnostics;

namespace Feeds.Server.Hosting;

public static class StartupSteps
{
    /// <summary>
    /// Adds one feature's part of start-up. The host starts hosted services one at a time in the order they were
    /// added, so steps run in the order of the <c>AddFeeds…</c> calls in <c>Program.cs</c>, each once the one before
    /// has finished, and all before the first request is served.
    /// </summary>
    public static IHostApplicationBuilder AddStartupStep(this IHostApplicationBuilder builder, string name, Func<IServiceProvider, CancellationToken, Task> run)
    {
        // Not AddHostedService, which keeps a single registration per implementation type.
        builder.Services.AddSingleton<IHostedService>(services => new StartupStep(name, services, run));
        return builder;
    }
}

/// <summary>
/// A step resolves what it needs when it runs rather than when it is built: the host builds every hosted service
/// before it starts the first, and what some services do when built (writing the admin token file) must wait for
/// the steps before. Each logs how long it took, so an operator sees what a slow start waited for.
/// </summary>
internal sealed partial class StartupStep(string name, IServiceProvider services, Func<IServiceProvider, CancellationToken, Task> run) : IHostedService
{
    public string Name => name;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await run(services, cancellationToken);
        var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var logger = services.GetRequiredService<ILogger<StartupStep>>();
        LogDone(logger, name, milliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up step {Step} done in {Milliseconds:F0} ms")]
    private static partial void LogDone(ILogger logger, string step, double milliseconds);
}
