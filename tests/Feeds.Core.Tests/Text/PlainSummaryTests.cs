using Feeds.Core.Text;

namespace Feeds.Core.Tests.Text;

public sealed class PlainSummaryTests
{
    [Theory]
    [InlineData("<p>Worth <em>reading</em>.</p>", "Worth reading.")]
    [InlineData("<p>One</p>\n<p>Two</p>", "One Two")]
    [InlineData("<ul><li>a</li><li>b</li></ul>", "a b")]
    [InlineData("<p>a &amp; b &lt;c&gt;</p>", "a & b <c>")]
    [InlineData("<p>  spaced\n\t out  </p>", "spaced out")]
    [InlineData("<blockquote><p>Quoted</p></blockquote><p>Said</p>", "Quoted Said")]
    [InlineData("", "")]
    [InlineData("<p> </p>", "")]
    public void Commentary_reads_as_one_line_of_text(string html, string text) => Assert.Equal(text, PlainSummary.Of(html));

    [Fact]
    public void Long_text_is_cut_at_a_word_with_an_ellipsis()
    {
        var html = "<p>" + string.Join(' ', Enumerable.Repeat("word", 100)) + "</p>";

        var summary = PlainSummary.Of(html, 50);

        Assert.True(summary.Length <= 50, summary);
        Assert.Equal(string.Join(' ', Enumerable.Repeat("word", 10)) + "…", summary);
    }

    [Fact]
    public void A_cut_never_splits_a_character_beyond_the_basic_plane()
    {
        var summary = PlainSummary.Of("<p>" + string.Concat(Enumerable.Repeat("😀", 30)) + "</p>", 10);

        Assert.True(summary.Length <= 10, summary);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
        for (var i = 0; i < summary.Length; i++)
        {
            Assert.False(char.IsHighSurrogate(summary[i]) && (i + 1 == summary.Length || !char.IsLowSurrogate(summary[i + 1])), $"a lone high surrogate at {i}");
            Assert.False(char.IsLowSurrogate(summary[i]) && (i == 0 || !char.IsHighSurrogate(summary[i - 1])), $"a lone low surrogate at {i}");
        }
    }
}
