namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// One <see cref="FeedsServer"/> for all the tests of a class: <c>IClassFixture&lt;ServerFixture&gt;</c>. A class that
/// needs the server configured or filled otherwise declares a small subclass overriding <see cref="Settings"/> or
/// <see cref="SeedAsync"/>, so the host is written once.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    public FeedsServer Server { get; private set; } = null!;

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient Author { get; private set; } = null!;

    /// <summary>Settings on top of those every <see cref="FeedsServer"/> has (its data directory, token and base URL).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>What the server holds before the first test runs.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public virtual async ValueTask InitializeAsync()
    {
        Server = new FeedsServer(settings: Settings);
        Author = Server.CreateAuthorizedClient();
        await SeedAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
