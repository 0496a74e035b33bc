using Feeds.Core.Search;

namespace Feeds.Core.Tests.Search;

public sealed class SearchSnippetsTests
{
    [Fact]
    public void Matched_words_are_marked_and_everything_else_escaped()
    {
        var html = SearchSnippets.Highlight("<script>alert(1)</script> & WAL: readers never block", SearchQuery.Parse("wal \"never block\""));

        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>WAL</mark>: readers <mark>never</mark> <mark>block</mark>", html);
    }

    [Fact]
    public void A_long_text_is_cut_around_the_first_match()
    {
        var text = string.Join(' ', Enumerable.Range(1, 100).Select(i => $"w{i}"));

        var html = SearchSnippets.Highlight(text, SearchQuery.Parse("w60"), maxWords: 9);

        Assert.Equal("…w57 w58 w59 <mark>w60</mark> w61 w62 w63 w64 w65…", html);
    }

    [Fact]
    public void Prefixes_mark_the_words_they_begin()
    {
        Assert.Equal("<mark>Logging</mark> and <mark>logs</mark>", SearchSnippets.Highlight("Logging and logs", SearchQuery.Parse("log*")));
    }
}
