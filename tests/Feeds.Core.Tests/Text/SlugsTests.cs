using Feeds.Core.Text;

namespace Feeds.Core.Tests.Text;

public sealed class SlugsTests
{
    [Theory]
    [InlineData("Python", "python")]
    [InlineData("Machine Learning", "machine-learning")]
    [InlineData("  C / .NET  ", "c-net")]
    [InlineData("Café au lait", "cafe-au-lait")]
    [InlineData("日本語", "日本語")]
    [InlineData("web--dev", "web-dev")]
    [InlineData("AI+LLMs", "ai-llms")]
    [InlineData("C#", "csharp")]
    [InlineData("C++", "cplusplus")]
    [InlineData("F# tips", "fsharp-tips")]
    public void Tag_names_fold_to_lower_case_letters_digits_and_single_hyphens(string name, string slug) =>
        Assert.Equal(slug, Slugs.ForTag(name));

    [Fact]
    public void Tag_slugs_are_at_most_64_characters_and_never_end_with_a_hyphen()
    {
        var slug = Slugs.ForTag(string.Join(' ', Enumerable.Repeat("abcdefghij", 10)));
        Assert.True(slug.Length <= Slugs.MaxTagLength);
        Assert.False(slug.EndsWith('-'));
    }

    [Fact]
    public void A_title_without_letters_still_gets_a_post_slug() => Assert.Equal("post", Slugs.ForPost("!!! ???"));
}
