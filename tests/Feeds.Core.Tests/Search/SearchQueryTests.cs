using Feeds.Core.Posts;
using Feeds.Core.Search;

namespace Feeds.Core.Tests.Search;

public sealed class SearchQueryTests
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Words_must_all_match_and_a_star_makes_the_last_a_prefix()
    {
        var query = SearchQuery.Parse("Write ahead* loggING");

        Assert.Equal(["write", "ahead*", "logging"], query.Terms.Select(t => t.ToString()));
        Assert.True(query.Matches(PostOf("Write-ahead logging in SQLite")));
        Assert.True(query.Matches(PostOf("Logging: write aheadness")));
        Assert.False(query.Matches(PostOf("Write-ahead journals")));
    }

    [Fact]
    public void A_query_reads_back_in_its_own_words_in_one_order_whatever_order_it_was_typed_in()
    {
        var typed = SearchQuery.Parse("is:draft after:2024-12-31 site:WWW.Example.com tag:Machine-Learning -Postgres \"Readers  never\" wal* before:2025-02-01");
        var reordered = SearchQuery.Parse("wal*  \"readers never\" -postgres tag:machine-learning site:example.com before:2025-02-01 after:2024-12-31 is:draft");

        const string Canonical = "\"readers never\" wal* -postgres tag:machine-learning site:example.com before:2025-02-01 after:2024-12-31 is:draft";
        Assert.Equal(Canonical, typed.ToString());
        Assert.Equal(Canonical, reordered.ToString());
        Assert.Equal(Canonical, SearchQuery.Parse(Canonical).ToString());
    }

    [Theory]
    [InlineData("HeLLo", "hello")]
    [InlineData("Ünïcödé", "unicode")]
    [InlineData("ÉCOLE", "ecole")]
    public void Words_fold_to_lower_case_without_diacritics(string word, string folded)
    {
        Assert.Equal(folded, SearchText.Fold(word));
    }

    [Fact]
    public void A_phrase_matches_its_words_in_order_within_one_field()
    {
        var query = SearchQuery.Parse("\"readers never block\"");

        Assert.Equal(["\"readers never block\""], query.Terms.Select(t => t.ToString()));
        Assert.True(query.Matches(PostOf("WAL", "Readers never block writers.")));
        Assert.False(query.Matches(PostOf("WAL", "Readers block, never writers.")));
        Assert.False(query.Matches(PostOf("Readers never", "block writers.")));
    }

    [Fact]
    public void A_minus_excludes_a_word()
    {
        var query = SearchQuery.Parse("sqlite -postgres");

        Assert.True(query.Matches(PostOf("SQLite tips")));
        Assert.False(query.Matches(PostOf("SQLite or Postgres")));
    }

    [Fact]
    public void Filters_name_tags_sites_and_days()
    {
        var query = SearchQuery.Parse("tag:Python tag:web-dev site:www.GitHub.com before:2025-04-01 after:2025-03-13 is:draft");

        Assert.Equal(["python", "web-dev"], query.Tags);
        Assert.Equal(["github.com"], query.Sites);
        Assert.Equal(new DateOnly(2025, 4, 1), query.Before);
        Assert.Equal(new DateOnly(2025, 3, 13), query.After);
        Assert.True(query.Drafts);
        Assert.Empty(query.Terms);
        Assert.True(query.Matches(PostOf("x", url: "https://gist.github.com/a", tags: ["Python", "Web dev"])));
        Assert.False(query.Matches(PostOf("x", url: "https://notgithub.com/a", tags: ["Python", "Web dev"])));
        Assert.False(query.Matches(PostOf("x", url: "https://github.com/a", tags: ["Python"])));
    }

    [Fact]
    public void Before_is_up_to_the_start_of_its_day_and_after_from_the_end_of_its_day()
    {
        Assert.False(SearchQuery.Parse("before:2025-03-14").Matches(PostOf("x")));
        Assert.True(SearchQuery.Parse("before:2025-03-15").Matches(PostOf("x")));
        Assert.False(SearchQuery.Parse("after:2025-03-14").Matches(PostOf("x")));
        Assert.True(SearchQuery.Parse("after:2025-03-13").Matches(PostOf("x")));
    }

    [Theory]
    [InlineData("\"unpaired quote", new[] { "unpaired", "quote" })]
    [InlineData("NEAR(a b", new[] { "\"near a\"", "b" })]
    [InlineData("*", new string[0])]
    [InlineData("a OR b AND NOT c", new[] { "a", "or", "b", "and", "not", "c" })]
    [InlineData("col:umn^ {x} title:wal", new[] { "\"col umn\"", "x", "\"title wal\"" })]
    [InlineData("before:someday", new[] { "\"before someday\"" })]
    [InlineData("it's", new[] { "\"it s\"" })]
    [InlineData("Ünïcödé CAFÉ", new[] { "unicode", "cafe" })]
    [InlineData("- -- -\"\"", new string[0])]
    public void Hostile_text_is_read_as_plain_words(string text, string[] terms)
    {
        Assert.Equal(terms, SearchQuery.Parse(text).Terms.Select(t => t.ToString()));
    }

    [Fact]
    public void Long_text_is_cut_to_its_first_terms()
    {
        var query = SearchQuery.Parse(string.Concat(Enumerable.Repeat("word ", 2_000)) + "\"");

        Assert.Equal(SearchQuery.MaxTerms, query.Terms.Count);
    }

    [Fact]
    public void An_empty_query_asks_for_nothing()
    {
        Assert.True(SearchQuery.Parse("  * \" ").IsEmpty);
        Assert.True(SearchQuery.Parse(null).IsEmpty);
        Assert.False(SearchQuery.Parse("-spam").IsEmpty);
    }

    private static Post PostOf(string title, string commentary = "", string url = "https://example.com/a", string[]? tags = null) => new()
    {
        Id = Guid.NewGuid(),
        Slug = "a",
        Url = url,
        Title = title,
        Commentary = commentary,
        CommentaryHtml = "",
        Tags = [.. (tags ?? []).Select(TagRules.ToTag)],
        Status = PostStatus.Published,
        CreatedAt = Noon,
        UpdatedAt = Noon,
        PublishedAt = Noon,
    };
}
