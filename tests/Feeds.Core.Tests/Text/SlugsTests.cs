using Feeds.Contracts.Text;

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

    [Theory]
    [InlineData("Python")]
    [InlineData("  C / .NET  ")]
    [InlineData("Café au lait")]
    [InlineData("日本語のタイトル")]
    [InlineData("C# & F# tips")]
    [InlineData("!!! ???")]
    [InlineData("Ünïcödé—dashes – and ‘quotes’ ﬁ ligature Ⅻ ²")]
    public void Every_slug_the_site_makes_for_a_post_or_its_namesakes_is_a_post_slug(string title)
    {
        var slug = Slugs.ForPost(title);
        Assert.True(Slugs.IsPostSlug(slug), slug);
        Assert.True(Slugs.IsPostSlug(slug + "-2"), slug + "-2");
        Assert.True(Slugs.IsPostSlug(slug + "-17"), slug + "-17");
    }

    [Fact]
    public void Slugs_made_from_random_text_of_any_script_are_post_slugs()
    {
        var random = new Random(20240601);
        for (var n = 0; n < 5_000; n++)
        {
            var text = new System.Text.StringBuilder();
            for (var i = random.Next(1, 60); i > 0; i--)
            {
                var c = (char)random.Next(0x20, 0xD800);
                text.Append(random.Next(3) == 0 ? c : (char)random.Next('A', 'z'));
            }

            var slug = Slugs.ForPost(text.ToString());
            Assert.True(Slugs.IsPostSlug(slug), $"'{slug}' from '{text}'");
        }
    }

    [Fact]
    public void A_namesake_of_a_title_of_full_length_may_be_longer_than_a_title_slug()
    {
        var slug = Slugs.ForPost(string.Join(' ', Enumerable.Repeat("abcdefghij", 10)));
        Assert.Equal(Slugs.MaxPostSlugLength, slug.Length);

        Assert.True(Slugs.IsPostSlug(slug + "-2"));
        Assert.False(Slugs.IsPostSlug(slug + "k"));
        Assert.False(Slugs.IsPostSlug(slug + "-1"));
        Assert.False(Slugs.IsPostSlug(slug + "-02"));
        Assert.False(Slugs.IsPostSlug(slug + "-x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper-Case")]
    [InlineData("two words")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("dot.ted")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("double--hyphen")]
    [InlineData("café")]
    [InlineData("under_score")]
    [InlineData("percent%20encoded")]
    public void A_slug_the_site_would_never_make_is_not_a_post_slug(string slug) => Assert.False(Slugs.IsPostSlug(slug));

    [Fact]
    public void A_slug_with_an_unpaired_surrogate_is_not_a_post_slug() => Assert.False(Slugs.IsPostSlug("broken-\ud800-surrogate"));
}
