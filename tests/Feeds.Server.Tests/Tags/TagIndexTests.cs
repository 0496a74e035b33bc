using Dapper;
using Feeds.Core.Posts;
using Feeds.Contracts.Text;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Tags;

/// <summary>
/// A tag's feed is read along the tag index, which keeps each link's post publication time
/// (<c>post_tags.published_at</c>) for as long as the post is published and not deleted. After a random run of creates,
/// imports, edits between draft, scheduled and published with new tags, scheduled publishing, deletes, and tag renames
/// and merges, every tag's and combination's feed, page after page, is what a scan of the posts finds.
/// </summary>
public sealed class TagIndexTests : RandomPostWrites
{
    private readonly List<string> _names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"];

    [Fact]
    public async Task Every_tag_s_feed_is_what_a_scan_of_the_posts_finds_after_every_kind_of_write()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tags = new TagStore(Database, new PostChangeHooks(Database, []), Clock);
        var random = new Random(24);
        var renames = 0;
        await WriteAtRandomAsync(random, 400, TagsOf, sourceOf: _ => null, other: async () =>
        {
            // A rename to a new name, or now and then a merge into another tag.
            var which = random.Next(_names.Count);
            var to = random.Next(5) == 0 ? _names[random.Next(_names.Count)] : $"Renamed {++renames}";
            var (result, _) = await tags.RenameAsync(Slugs.ForTag(_names[which]), TagRules.ToTag(to), cancellationToken);
            if (result != TagRenameResult.NotFound)
            {
                _names[which] = to;
            }
        });

        await using var connection = await Database.OpenAsync(cancellationToken);
        var links = (await connection.QueryAsync<(Guid Id, string Tag, string SortAt)>("""
            select p.id, pt.tag_slug, p.sort_at from posts p join post_tags pt on pt.post_id = p.id
            where p.status = 'published' and p.deleted_at is null
            """)).ToList();
        var slugs = links.Select(l => l.Tag).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(slugs.Count >= 5, $"only {slugs.Count} tags carry published posts");

        var queries = new PostQueries(Database);
        var keys = slugs.Select(s => new[] { s }).Concat(slugs.Zip(slugs.Skip(1), (a, b) => new[] { a, b }));
        foreach (var key in keys)
        {
            var expected = links.GroupBy(l => l.Id).Where(post => key.All(slug => post.Any(l => l.Tag == slug)))
                .Select(post => post.First()).OrderByDescending(l => l.SortAt, StringComparer.Ordinal).ThenByDescending(l => l.Id.ToString("D"), StringComparer.Ordinal)
                .Select(l => l.Id).ToList();
            Assert.Equal(expected, await AllPagesAsync(queries, FeedKey.ForTags([.. key.Select(s => new Tag(s, s))]), cancellationToken));
        }

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            select count(*) from post_tags pt join posts p on p.id = pt.post_id
            where (p.status = 'published' and p.deleted_at is null and (pt.published_at is null or pt.published_at <> p.sort_at))
               or (not (p.status = 'published' and p.deleted_at is null) and pt.published_at is not null)
            """));
    }

    /// <summary>Every post of a feed, following its pages of 7 from the newest.</summary>
    private static async Task<List<Guid>> AllPagesAsync(PostQueries queries, FeedKey key, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        PostCursor? before = null;
        do
        {
            var page = await queries.ListPublishedAsync(key, before, 7, cancellationToken);
            ids.AddRange(page.Posts.Select(p => p.Id));
            before = page.Next;
        }
        while (before is not null);

        return ids;
    }

    private List<Tag> TagsOf(Random random) => [.. _names.Where(_ => random.Next(3) == 0).Select(TagRules.ToTag)];
}
