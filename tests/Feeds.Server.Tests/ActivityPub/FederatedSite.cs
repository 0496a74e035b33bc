using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests.ActivityPub;

namespace Feeds.Server.Tests.ActivityPub;

/// <summary>
/// The site on Kestrel with ActivityPub on (<see cref="Fediverse.Settings"/>), a Mastodon-like peer beside it, the
/// author's client, and the tags named made public by a first post carrying them, so their actors exist. Skips the
/// test where python3-httpsig, which signs for the peer, is missing.
/// </summary>
public sealed class FederatedSite : IAsyncDisposable
{
    private FederatedSite(MastodonPeer peer, FeedsServer server, HttpClient author)
    {
        Peer = peer;
        Server = server;
        Author = author;
    }

    public MastodonPeer Peer { get; }

    public FeedsServer Server { get; }

    public HttpClient Author { get; }

    public static async Task<FederatedSite> StartAsync(params string[] publicTags)
    {
        PythonHttpsig.Require();
        var peer = await MastodonPeer.StartAsync();
        var server = new FeedsServer(settings: Fediverse.Settings());
        var author = server.CreateAuthorizedClient();
        if (publicTags.Length > 0)
        {
            await author.CreateAsync(Infrastructure.Posts.Valid("Makes the tag public", publicTags));
        }

        return new FederatedSite(peer, server, author);
    }

    /// <summary>The id of the site's actor, or of <paramref name="tag"/>'s.</summary>
    public string Actor(string? tag = null) => new Uri(Server.Address, tag is null ? "/ap/actor" : "/ap/tags/" + tag).ToString();

    public void Deconstruct(out MastodonPeer peer, out FeedsServer server, out HttpClient author)
    {
        peer = Peer;
        server = Server;
        author = Author;
    }

    public async ValueTask DisposeAsync()
    {
        Author.Dispose();
        Server.Dispose();
        await Peer.DisposeAsync();
    }
}
