using Feeds.Core.Links;

namespace Feeds.Core.Tests.Links;

public sealed class LinkUrlsTests
{
    [Theory]
    [InlineData("HTTPS://Example.ORG/Path", "https://example.org/Path")]
    [InlineData("https://example.org:443/a", "https://example.org/a")]
    [InlineData("http://example.org:80/a", "http://example.org/a")]
    [InlineData("https://example.org:8443/a", "https://example.org:8443/a")]
    [InlineData("https://example.org/a#section-2", "https://example.org/a")]
    [InlineData("https://example.org/a/", "https://example.org/a")]
    [InlineData("https://example.org/", "https://example.org")]
    [InlineData("https://example.org", "https://example.org")]
    [InlineData("https://example.org/a?utm_source=rss&id=7&UTM_Medium=x", "https://example.org/a?id=7")]
    [InlineData("https://example.org/a?utm_campaign=c", "https://example.org/a")]
    [InlineData("https://example.org/a?b=2&a=1", "https://example.org/a?b=2&a=1")]
    [InlineData("https://bücher.example/Straße", "https://xn--bcher-kva.example/Stra%C3%9Fe")]
    [InlineData("  https://example.org/a  ", "https://example.org/a")]
    public void Ways_of_writing_one_page_come_to_one_form(string url, string normal) => Assert.Equal(normal, LinkUrls.Normalize(url));

    [Theory]
    [InlineData("https://example.org/a", "http://example.org/a")]
    [InlineData("https://example.org/a?id=7", "https://example.org/a?id=8")]
    [InlineData("https://example.org/A", "https://example.org/a")]
    [InlineData("https://www.example.org/a", "https://example.org/a")]
    public void Different_pages_stay_different(string one, string other) => Assert.NotEqual(LinkUrls.Normalize(one), LinkUrls.Normalize(other));

    [Fact]
    public void Text_that_is_no_absolute_url_is_kept_as_it_is() => Assert.Equal("not a url", LinkUrls.Normalize(" not a url "));
}
