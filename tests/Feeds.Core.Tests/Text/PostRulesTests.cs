using Feeds.Contracts.Posts;
using Feeds.Core.Posts;

namespace Feeds.Core.Tests.Text;

public sealed class PostRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_valid_post_is_normalised()
    {
        var content = PostRules.Validate(
            new PostInput { Url = "https://example.com/a", Title = "A", Tags = ["Python", "python", "Web Dev"] }, Now, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(content);
        Assert.Equal(PostStatus.Published, content.Status);
        Assert.Equal(["python", "web-dev"], content.Tags.Select(t => t.Slug));
        Assert.Equal("Python", content.Tags[0].Name);
    }

    [Fact]
    public void Every_bad_field_is_named()
    {
        var content = PostRules.Validate(
            new PostInput
            {
                Url = "javascript:alert(1)",
                Title = new string('x', 501),
                Tags = ["ok", "!!!"],
                Via = new ViaInput("ftp://example.com", null),
                Status = "archived",
            },
            Now,
            out var errors);

        Assert.Null(content);
        Assert.Equal(["status", "tags[1]", "title", "url", "via.url"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_future_publish_time_schedules_the_post()
    {
        var content = PostRules.Validate(
            new PostInput { Url = "https://example.com/", Title = "Later", PublishAt = Now.AddHours(1) }, Now, out _);
        Assert.Equal(PostStatus.Scheduled, content!.Status);
    }

    [Fact]
    public void More_than_twenty_tags_are_refused()
    {
        PostRules.Validate(
            new PostInput { Url = "https://example.com/", Title = "t", Tags = [.. Enumerable.Range(0, 21).Select(i => $"t{i}")] },
            Now,
            out var errors);
        Assert.Contains("tags", errors.Keys);
    }
}
