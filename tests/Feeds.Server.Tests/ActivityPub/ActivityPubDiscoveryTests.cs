using System.Net;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Pages;

namespace Feeds.Server.Tests.ActivityPub;

public sealed class ActivityPubDiscoveryTests(ActivityPubDiscoveryTests.Site site) : IClassFixture<ActivityPubDiscoveryTests.Site>
{
    public sealed class Site : ServerFixture
    {
        protected override IDictionary<string, string?>? Settings => Fediverse.Settings();

        protected override async Task SeedAsync()
        {
            await Author.CreateAsync(Infrastructure.Posts.Valid("Tagged python", "python"));
            // A tag named like the site actor: the site keeps the name.
            await Author.CreateAsync(Infrastructure.Posts.Valid("Tagged links", "links"));
            await Author.CreateAsync(new { url = "https://example.com/draft", title = "A draft", commentary = "Not yet.", tags = new[] { "secret" }, status = "draft" });
        }
    }

    private readonly HttpClient _anonymous = site.Server.CreateClient();

    private Task<HttpResponseMessage> WebFingerAsync(string resource) =>
        _anonymous.GetAsync("/.well-known/webfinger?resource=" + Uri.EscapeDataString(resource));

    private async Task<string> SelfOfAsync(string resource)
    {
        using var response = await WebFingerAsync(resource);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var links = (await response.ReadJsonAsync()).GetProperty("links");
        return links.EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "self").GetProperty("href").GetString()!;
    }

    [Fact]
    public async Task WebFinger_finds_the_site_actor_as_jrd_open_to_any_origin()
    {
        using var response = await WebFingerAsync($"acct:links@{site.Server.Domain()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jrd+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var jrd = await response.ReadJsonAsync();
        Assert.Equal($"acct:links@{site.Server.Domain()}", jrd.GetProperty("subject").GetString());
        Assert.Equal(new Uri(site.Server.Address, "/ap/actor").ToString(), await SelfOfAsync($"acct:links@{site.Server.Domain()}"));
    }

    [Fact]
    public async Task WebFinger_finds_a_tag_with_a_published_post_by_its_slug()
    {
        Assert.Equal(new Uri(site.Server.Address, "/ap/tags/python").ToString(), await SelfOfAsync($"acct:python@{site.Server.Domain()}"));
        Assert.Equal(new Uri(site.Server.Address, "/ap/tags/python").ToString(), await SelfOfAsync($"acct:tag.python@{site.Server.Domain()}"));
    }

    [Fact]
    public async Task A_tag_named_like_the_site_actor_is_reached_as_tag_dot_name()
    {
        Assert.Equal(new Uri(site.Server.Address, "/ap/actor").ToString(), await SelfOfAsync($"acct:links@{site.Server.Domain()}"));
        Assert.Equal(new Uri(site.Server.Address, "/ap/tags/links").ToString(), await SelfOfAsync($"acct:tag.links@{site.Server.Domain()}"));
        var actor = await (await _anonymous.GetAsync("/ap/tags/links")).ReadJsonAsync();
        Assert.Equal("tag.links", actor.GetProperty("preferredUsername").GetString());
    }

    [Theory]
    [InlineData("acct:secret@{host}")]
    [InlineData("acct:nobody@{host}")]
    [InlineData("acct:links@elsewhere.example")]
    public async Task WebFinger_knows_no_tag_without_a_published_post_nor_another_host(string resource)
    {
        using var response = await WebFingerAsync(resource.Replace("{host}", site.Server.Domain(), StringComparison.Ordinal));
        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task WebFinger_without_a_resource_is_a_400_naming_it()
    {
        using var response = await _anonymous.GetAsync("/.well-known/webfinger");
        var problem = await response.AssertProblemAsync(400);
        Assert.Equal(["resource"], problem.ErrorFields());
    }

    [Fact]
    public async Task NodeInfo_2_1_is_linked_from_the_well_known_document_and_names_activitypub()
    {
        var links = await (await _anonymous.GetAsync("/.well-known/nodeinfo")).ReadJsonAsync();
        var link = links.GetProperty("links")[0];
        Assert.Equal("http://nodeinfo.diaspora.software/ns/schema/2.1", link.GetProperty("rel").GetString());

        var nodeInfo = await (await _anonymous.GetAsync(link.GetProperty("href").GetString())).ReadJsonAsync();
        Assert.Equal("2.1", nodeInfo.GetProperty("version").GetString());
        Assert.Equal("feeds", nodeInfo.GetProperty("software").GetProperty("name").GetString());
        Assert.Equal(["activitypub"], nodeInfo.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()));
        Assert.False(nodeInfo.GetProperty("openRegistrations").GetBoolean());
    }

    [Fact]
    public async Task The_site_actor_names_its_inbox_outbox_followers_shared_inbox_and_public_key_and_never_the_private_key()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ap/actor");
        request.Headers.Accept.ParseAdd("application/activity+json");
        using var response = await _anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var actor = JsonDocument.Parse(text).RootElement;
        var id = new Uri(site.Server.Address, "/ap/actor").ToString();

        Assert.Equal("application/activity+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(id, actor.GetProperty("id").GetString());
        Assert.Equal("Service", actor.GetProperty("type").GetString());
        Assert.Equal("links", actor.GetProperty("preferredUsername").GetString());
        Assert.Equal(id + "/inbox", actor.GetProperty("inbox").GetString());
        Assert.Equal(id + "/outbox", actor.GetProperty("outbox").GetString());
        Assert.Equal(id + "/followers", actor.GetProperty("followers").GetString());
        Assert.Equal(new Uri(site.Server.Address, "/ap/inbox").ToString(), actor.GetProperty("endpoints").GetProperty("sharedInbox").GetString());
        Assert.Equal(site.Server.Address.ToString(), actor.GetProperty("url").GetString());
        var key = actor.GetProperty("publicKey");
        Assert.Equal(id + "#main-key", key.GetProperty("id").GetString());
        Assert.Equal(id, key.GetProperty("owner").GetString());
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
        Assert.Equal(2048, rsa.KeySize);
        Assert.DoesNotContain("PRIVATE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permalink_asked_for_as_activity_json_is_the_post_as_a_Note_and_as_html_otherwise()
    {
        var outbox = await (await _anonymous.GetAsync("/ap/tags/python/outbox?page=true")).ReadJsonAsync();
        var note = outbox.GetProperty("orderedItems")[0].GetProperty("object");
        var permalink = note.GetProperty("url").GetString()!;

        foreach (var accept in new[] { "application/activity+json", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, permalink);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await _anonymous.SendAsync(request);
            var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Note", served.GetProperty("type").GetString());
            Assert.Equal(note.GetProperty("id").GetString(), served.GetProperty("id").GetString());
            Assert.Contains("Accept", response.Headers.Vary);
        }

        using var html = await _anonymous.GetAsync(permalink);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_note_carries_the_commentary_the_link_and_the_tags_as_hashtags_pointing_at_their_pages()
    {
        var outbox = await (await _anonymous.GetAsync("/ap/tags/python/outbox?page=true")).ReadJsonAsync();
        var create = outbox.GetProperty("orderedItems")[0];
        var note = create.GetProperty("object");

        Assert.Equal("OrderedCollectionPage", outbox.GetProperty("type").GetString());
        Assert.Equal("Create", create.GetProperty("type").GetString());
        Assert.Equal(new Uri(site.Server.Address, "/ap/actor").ToString(), note.GetProperty("attributedTo").GetString());
        Assert.Contains("<em>reading</em>", note.GetProperty("content").GetString());
        Assert.Contains("Tagged python</a>", note.GetProperty("content").GetString());
        var hashtag = note.GetProperty("tag")[0];
        Assert.Equal("Hashtag", hashtag.GetProperty("type").GetString());
        Assert.Equal("#python", hashtag.GetProperty("name").GetString());
        Assert.Equal(new Uri(site.Server.Address, "/tags/python").ToString(), hashtag.GetProperty("href").GetString());
        Assert.True(note.TryGetProperty("published", out _));
        Assert.Contains("https://www.w3.org/ns/activitystreams#Public", note.GetProperty("to").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task The_outbox_is_an_ordered_collection_whose_first_page_holds_the_posts()
    {
        var outbox = await (await _anonymous.GetAsync("/ap/actor/outbox")).ReadJsonAsync();
        Assert.Equal("OrderedCollection", outbox.GetProperty("type").GetString());

        var page = await (await _anonymous.GetAsync(outbox.GetProperty("first").GetString())).ReadJsonAsync();
        Assert.Equal(2, page.GetProperty("orderedItems").GetArrayLength());
    }

    [Fact]
    public async Task Pages_link_the_actor_they_are_the_twin_of()
    {
        static string[] Actors(AngleSharp.Dom.IDocument page) =>
            [.. page.QuerySelectorAll("link[type='application/activity+json']").Where(l => l.GetAttribute("rel") == "alternate me").Select(l => l.GetAttribute("href")!)];

        var home = await _anonymous.GetPageAsync("/");
        var tag = await _anonymous.GetPageAsync("/tags/python");

        Assert.Equal([new Uri(site.Server.Address, "/ap/actor").ToString()], Actors(home));
        Assert.Equal([new Uri(site.Server.Address, "/ap/tags/python").ToString()], Actors(tag));
    }
}
