using Feeds.Server.Desk;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Sources;

namespace Feeds.Server.Tests.Desk;

/// <summary>A server that may reach loopback (pages to take titles from, feeds to follow), an upstream site, and the author signed in.</summary>
public sealed class DeskFixture : ServerFixture
{
    public Upstream Upstream { get; private set; } = null!;

    /// <summary>The author's browser, signed in.</summary>
    public DeskBrowser Desk { get; private set; } = null!;

    // Browser tests sign in once per page they open; the tag suggestions' background reads are logged at Debug.
    protected override IDictionary<string, string?>? Settings => SourceTesting.Settings(s =>
    {
        s["Feeds:Desk:SignInAttempts"] = "1000";
        s["Logging:LogLevel:" + typeof(TagSuggestions).FullName] = "Debug";
    });

    public override async ValueTask InitializeAsync()
    {
        Upstream = await Upstream.StartAsync();
        await base.InitializeAsync();
        Desk = new DeskBrowser(Server);
        await Desk.SignInAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        Desk.Dispose();
        await base.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
