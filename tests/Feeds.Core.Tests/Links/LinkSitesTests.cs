using Feeds.Core.Links;

namespace Feeds.Core.Tests.Links;

public sealed class LinkSitesTests
{
    [Theory]
    [InlineData("https://example.com/a", "example.com")]
    [InlineData("https://www.example.com/a", "example.com")]
    [InlineData("HTTP://WWW.Example.COM:8080/a?b#c", "example.com")]
    [InlineData("https://blog.example.com/", "blog.example.com")]
    [InlineData("https://www.blog.example.com/", "blog.example.com")]
    [InlineData("https://example.com./", "example.com")]
    [InlineData("https://bücher.example/", "xn--bcher-kva.example")]
    [InlineData("https://www.xn--bcher-kva.example/", "xn--bcher-kva.example")]
    [InlineData("https://www/", "www")]
    [InlineData("http://192.0.2.1/x", "192.0.2.1")]
    [InlineData("not a url", "")]
    [InlineData("urn:isbn:0451450523", "")]
    public void A_links_site_is_its_host_in_lower_case_punycode_without_www(string url, string site) =>
        Assert.Equal(site, LinkSites.Of(url));

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("Example.COM", "example.com")]
    [InlineData("www.example.com", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    public void A_site_a_reader_writes_is_read_in_its_one_form(string text, string site)
    {
        Assert.True(LinkSites.TryNormalize(text, out var normal));
        Assert.Equal(site, normal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not_a..domain")]
    [InlineData("exa mple.com")]
    [InlineData("-example.com")]
    [InlineData("a/b")]
    public void Text_that_is_no_domain_name_is_no_site(string text) => Assert.False(LinkSites.TryNormalize(text, out _));

    [Theory]
    [InlineData("xn--bcher-kva.example", "bücher.example")]
    [InlineData("example.com", "example.com")]
    public void A_site_is_shown_in_its_own_letters(string site, string shown) => Assert.Equal(shown, LinkSites.Display(site));

    [Fact]
    public void The_site_of_a_link_is_the_one_form_of_its_host_as_a_reader_writes_it()
    {
        foreach (var url in new[] { "https://WWW.Bücher.Example/x", "https://blog.example.com/", "https://example.com/" })
        {
            Assert.True(LinkSites.TryNormalize(new Uri(url).Host, out var normal));
            Assert.Equal(LinkSites.Of(url), normal);
        }
    }
}
