using System.ServiceModel.Syndication;
using System.Text;
using Feeds.Core.Syndication;

namespace Feeds.Core.Tests.Syndication;

public sealed class LinkHrefTests
{
    [Theory]
    [InlineData("https://links.example.org/2025/11/20/attention-is-all-you-need-again")]
    [InlineData("https://arxiv.example.org/abs/1706.03762?v=7&format=html")]
    [InlineData("http://example.com/")]
    [InlineData("https://a-b.example/x/y;z=1?q=(a)*!'#frag")]
    public void A_url_already_in_canonical_form_is_taken_as_it_is(string url)
    {
        Assert.True(LinkHref.IsCanonicalHttpUrl(url));
        Assert.Equal(new Uri(url).AbsoluteUri, LinkHref.For(url));
    }

    [Theory]
    [InlineData("https://blog.example.net/caf%C3%A9/ünïcödé")]
    [InlineData("https://EXAMPLE.org/")]
    [InlineData("https://example.org")]
    [InlineData("https://example.org:443/a")]
    [InlineData("https://user@example.org/a")]
    [InlineData("https://127.0.0.1/a")]
    [InlineData("https://example.org/a/../b")]
    [InlineData("https://example.org/a b")]
    [InlineData("https://example.org/a\\b")]
    [InlineData("HTTPS://example.org/a")]
    [InlineData("/2025/11/01/older-post")]
    public void Any_other_url_is_written_as_uri_writes_it(string url)
    {
        Assert.False(LinkHref.IsCanonicalHttpUrl(url));
        var uri = new Uri(url, UriKind.RelativeOrAbsolute);
        Assert.Equal(uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.ToString(), LinkHref.For(url));
    }

    [Theory]
    [InlineData("https://例え.テスト/パス?q=ø#ここ", "https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9?q=%C3%B8#%E3%81%93%E3%81%93")]
    [InlineData("http://user@Bücher.example:8080/", "http://user@xn--bcher-kva.example:8080/")]
    [InlineData("https://例え.テスト", "https://xn--r8jz45g.xn--zckzah/")]
    public void An_internationalised_host_is_written_in_punycode(string url, string expected) =>
        Assert.Equal(expected, LinkHref.For(url));

    [Theory]
    [InlineData("https://links.example.org/2025/11/20/attention", "alternate", "text/html")]
    [InlineData("https://blog.example.net/caf%C3%A9/ünïcödé", "related", null)]
    [InlineData("https://EXAMPLE.org/a/../b?x=<y>&z=\"1\"", "related", null)]
    [InlineData("/2025/11/01/older-post", "related", null)]
    public void An_atom_link_given_as_text_is_written_as_a_link_with_a_uri(string url, string relation, string? mediaType)
    {
        Assert.Equal(
            AtomEntry(new SyndicationLink(new Uri(url, UriKind.RelativeOrAbsolute), relation, null, mediaType, 0)),
            AtomEntry(new SyndicationMapping.AtomLink(LinkHref.For(url)!, relation, mediaType)));
    }

    private static string AtomEntry(SyndicationLink link)
    {
        var item = new SyndicationItem { Id = "tag:example.org,2025:1", LastUpdatedTime = DateTimeOffset.UnixEpoch };
        item.Links.Add(link);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new FeedXmlWriter(buffer))
        {
            new Atom10ItemFormatter(item).WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_url_that_does_not_parse_has_no_href() => Assert.Null(LinkHref.For("http://"));

    /// <summary>Whatever the fast path accepts, <see cref="Uri"/> gives back unchanged.</summary>
    [Fact]
    public void Random_urls_accepted_as_canonical_are_what_uri_makes_of_them()
    {
        const string hostCharacters = "abz09.-_A";
        const string pathCharacters = "aZ09-._~!$&'()*+,;=:@/?#%[]\\ ^`{|}\"<>é.";
        var random = new Random(4287);
        var accepted = 0;
        for (var n = 0; n < 200_000; n++)
        {
            var url = new StringBuilder(random.Next(2) == 0 ? "https://" : "http://");
            for (var k = random.Next(0, 8); k > 0; k--)
            {
                url.Append(hostCharacters[random.Next(hostCharacters.Length)]);
            }

            if (random.Next(4) > 0)
            {
                url.Append('/');
                for (var k = random.Next(0, 12); k > 0; k--)
                {
                    url.Append(pathCharacters[random.Next(pathCharacters.Length)]);
                }
            }

            var text = url.ToString();
            if (LinkHref.IsCanonicalHttpUrl(text))
            {
                accepted++;
                Assert.True(Uri.TryCreate(text, UriKind.Absolute, out var uri), text);
                Assert.Equal(uri.AbsoluteUri, text);
            }
        }

        Assert.True(accepted > 1_000, $"only {accepted} random URLs were canonical");
    }
}
