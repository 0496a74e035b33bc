using Feeds.Core.Text;

namespace Feeds.Core.Tests.Text;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("emoji 🎉 and RTL \u200F mark")]
    public void Ordinary_text_is_accepted(string text) => Assert.Null(TextRules.Problem(text, allowLineBreaks: false));

    [Theory]
    [InlineData("bell\u0007")]
    [InlineData("nul\0")]
    [InlineData("nonchar \uFFFE")]
    [InlineData("line\nbreak")]
    public void Control_characters_surrogates_and_noncharacters_are_rejected_in_single_line_text(string text) =>
        Assert.NotNull(TextRules.Problem(text, allowLineBreaks: false));

    [Fact]
    public void Unpaired_surrogates_are_rejected_even_in_multi_line_text()
    {
        // Built at run time: test-case serialization would not carry an unpaired surrogate intact.
        var text = "lone " + (char)0xD800 + " surrogate";
        Assert.Contains("surrogate", TextRules.Problem(text, allowLineBreaks: true));
    }

    [Fact]
    public void Multi_line_text_keeps_tabs_and_line_breaks() =>
        Assert.Null(TextRules.Problem("one\ttwo\r\nthree", allowLineBreaks: true));

    [Fact]
    public void Xml_illegal_characters_are_dropped_and_the_rest_kept() =>
        Assert.Equal("abc🎉d", TextRules.ForXml("a\u0001b\uD800c🎉\uFFFFd"));
}
