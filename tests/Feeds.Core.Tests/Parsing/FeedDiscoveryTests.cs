using System.Text;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

public sealed class FeedDiscoveryTests
{
    private static readonly Uri Page = new("https://garden.example/blog/post.html");

    [Fact]
    public void Finds_advertised_feeds_ordered_atom_rss_json()
    {
        const string html = """
            <!doctype html><html><head>
            <link rel="alternate" type="application/feed+json" href="/feed.json">
            <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
            <link rel="stylesheet" href="/site.css">
            <link rel="alternate" type="application/atom+xml" href="https://garden.example/atom.xml">
            <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
            </head><body></body></html>
            """;

        Assert.Equal(
            ["https://garden.example/atom.xml", "https://garden.example/rss.xml", "https://garden.example/feed.json"],
            FeedDiscovery.Find(html, Page).Select(u => u.AbsoluteUri));
    }

    [Fact]
    public void Relative_feed_urls_honour_the_base_element()
    {
        const string html = """<html><head><base href="https://cdn.garden.example/b/"><link rel="alternate" type="application/rss+xml" href="feed"></head></html>""";
        Assert.Equal("https://cdn.garden.example/b/feed", Assert.Single(FeedDiscovery.Find(html, Page)).AbsoluteUri);
    }

    [Fact]
    public void Rel_and_type_are_matched_case_insensitively_and_rel_may_hold_several_tokens()
    {
        const string html = """<head><LINK REL="Alternate Feed" TYPE="Application/Atom+XML; charset=utf-8" HREF="a.xml"></head>""";
        Assert.Equal("https://garden.example/blog/a.xml", Assert.Single(FeedDiscovery.Find(html, Page)).AbsoluteUri);
    }

    [Fact]
    public void The_same_feed_advertised_twice_is_listed_once()
    {
        const string html = """<head><link rel="alternate" type="application/rss+xml" href="/f"><link rel="alternate" type="application/rss+xml" href="https://garden.example/f"></head>""";
        Assert.Single(FeedDiscovery.Find(html, Page));
    }

    [Fact]
    public void Non_web_feed_links_are_ignored()
    {
        const string html = """<head><link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"></head>""";
        Assert.Empty(FeedDiscovery.Find(html, Page));
    }

    [Fact]
    public void A_page_without_feed_links_yields_nothing() =>
        Assert.Empty(FeedDiscovery.Find("<p>just text <a href='/feed.xml'>feed</a></p>", Page));

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>", "text/html")]
    [InlineData("<!-- generated --><feed xmlns=\"http://www.w3.org/2005/Atom\"/>", null)]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"/>", "application/xml")]
    [InlineData("{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[]}", "application/json")]
    public void A_feed_body_looks_like_a_feed(string body, string? contentType) =>
        Assert.True(FeedDiscovery.LooksLikeFeed(Encoding.UTF8.GetBytes(body), contentType));

    [Theory]
    [InlineData("<!DOCTYPE html><html><head></head></html>", "application/rss+xml")]
    [InlineData("<html><body>hi</body></html>", "text/xml")]
    [InlineData("{\"name\":\"not a feed\"}", "application/json")]
    [InlineData("<catalogue/>", "text/xml")]
    public void A_page_or_other_document_does_not_look_like_a_feed(string body, string? contentType) =>
        Assert.False(FeedDiscovery.LooksLikeFeed(Encoding.UTF8.GetBytes(body), contentType));

    [Fact]
    public void Every_feed_fixture_looks_like_a_feed()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "testdata", "parsing");
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".golden.json", StringComparison.Ordinal) && !f.EndsWith(".content-type", StringComparison.Ordinal)))
        {
            Assert.True(FeedDiscovery.LooksLikeFeed(File.ReadAllBytes(file), null), Path.GetFileName(file));
        }
    }
}
