using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

public sealed class PageTitlesTests
{
    [Fact]
    public void The_og_title_comes_before_the_title_element() =>
        Assert.Equal("Open Graph", PageTitles.Find("<html><head><title>Plain</title><meta property=\"og:title\" content=\"Open Graph\"></head></html>"));

    [Fact]
    public void Without_og_title_the_title_element_is_taken_with_entities_decoded_and_white_space_collapsed() =>
        Assert.Equal("Fish & Chips — a history", PageTitles.Find("<title>\n  Fish &amp; Chips\t&mdash; a   history\n</title>"));

    [Fact]
    public void An_empty_og_title_falls_back_to_the_title_element() =>
        Assert.Equal("Plain", PageTitles.Find("<meta name=\"og:title\" content=\"  \"><title>Plain</title>"));

    [Fact]
    public void A_page_without_a_title_has_none() => Assert.Null(PageTitles.Find("<html><body><h1>Heading only</h1></body></html>"));
}
