using System.Text.Json;
using System.Xml.Linq;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.WebSub;

public sealed class WebSubDiscoveryTests(WebSubDiscoveryTests.Fixture fixture) : IClassFixture<WebSubDiscoveryTests.Fixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public sealed class Fixture : ServerFixture
    {
        protected override async Task SeedAsync() => await Author.CreateAsync(Infrastructure.Posts.Valid("Discovered", "python"));
    }

    [Theory]
    [InlineData("everything.atom")]
    [InlineData("everything.rss")]
    [InlineData("everything.json")]
    [InlineData("tags/python.atom")]
    public async Task A_feed_response_names_the_built_in_hub_and_the_topic_in_one_Link_header(string path)
    {
        var response = await fixture.Server.CreateClient().GetAsync(path);

        var topic = $"{fixture.Server.Address}{path}";
        Assert.Equal($"<{fixture.Server.Address}websub>; rel=\"hub\", <{topic}>; rel=\"self\"", response.Headers.GetValues("Link").Single());
    }

    [Theory]
    [InlineData("everything.atom")]
    [InlineData("everything.rss")]
    public async Task Atom_and_RSS_documents_carry_atom_links_to_the_hub_and_to_themselves(string path)
    {
        var document = XDocument.Parse(await fixture.Server.CreateClient().GetStringAsync(path));

        var links = document.Descendants(Atom + "link").Where(l => l.Parent?.Name.LocalName is "feed" or "channel").ToList();
        Assert.Equal($"{fixture.Server.Address}websub", links.Single(l => (string?)l.Attribute("rel") == "hub").Attribute("href")!.Value);
        Assert.Equal($"{fixture.Server.Address}{path}", links.Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);
    }

    [Fact]
    public async Task A_JSON_feed_lists_the_hub_in_hubs()
    {
        var feed = JsonDocument.Parse(await fixture.Server.CreateClient().GetStringAsync("everything.json")).RootElement;

        var hub = feed.GetProperty("hubs").EnumerateArray().Single();
        Assert.Equal("WebSub", hub.GetProperty("type").GetString());
        Assert.Equal($"{fixture.Server.Address}websub", hub.GetProperty("url").GetString());
        Assert.Equal($"{fixture.Server.Address}everything.json", feed.GetProperty("feed_url").GetString());
    }

    [Fact]
    public async Task Older_pages_are_no_topics_and_name_no_hub()
    {
        var client = fixture.Server.CreateClient();
        var first = XDocument.Parse(await client.GetStringAsync("everything.atom"));
        // A page of the posts before a fixed instant: an older page, whatever it holds.
        var cursor = new Feeds.Data.Posts.PostCursor(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Empty).Encode();

        var response = await client.GetAsync($"everything.atom?before={cursor}");

        Assert.False(response.Headers.Contains("Link"));
        var page = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(page.Root!.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "hub");
        Assert.Contains(first.Root!.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "hub");
    }
}
