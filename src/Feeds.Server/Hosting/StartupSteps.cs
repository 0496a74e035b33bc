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
/// the steps before.
/// </summary>
internal sealed class StartupStep(string name, IServiceProvider services, Func<IServiceProvider, CancellationToken, Task> run) : IHostedService
{
    public string Name => name;

    public Task StartAsync(CancellationToken cancellationToken) => run(services, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
