using Feeds.Core.Posts;

namespace Feeds.Server.Desk;

/// <summary>
/// The commentary of a post being composed as subscribers will see it: the feed entry's own HTML (commentary, link,
/// via and tags), composed by the same code as the feeds. A form not valid yet shows the rendered commentary alone.
/// </summary>
public static class DeskPreview
{
    public static string Render(ComposeForm form, DeskPostServices services)
    {
        var now = services.Clock.GetUtcNow();
        var input = form.ToInput([]) with { Status = PostStatusNames.Published, PublishAt = null };
        var html = services.Renderer.Render(form.Commentary ?? "");
        if (PostRules.Validate(input with { Title = string.IsNullOrWhiteSpace(input.Title) ? "Untitled" : input.Title }, now, out _) is not { } content)
        {
            return html;
        }

        var post = new Post
        {
            Id = Guid.Empty,
            Slug = "preview",
            Url = content.Url,
            Title = content.Title,
            Commentary = content.Commentary,
            CommentaryHtml = html,
            Tags = content.Tags,
            Via = content.Via,
            Status = PostStatus.Published,
            CreatedAt = now,
            UpdatedAt = now,
            PublishedAt = now,
        };
        return services.Composer.ComposeEntry(post).ContentHtml;
    }
}
