using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Contracts.Text;
using Feeds.Core.Posts;
using Feeds.Core.Search;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Search;

public sealed class SearchIndexConsistencyTests : IClassFixture<ServerFixture>
{
    private static readonly string[] Words = ["amber", "basil", "cedar", "delta", "ember", "fjord", "grove", "haven"];
    private static readonly string[] Hosts = ["https://github.com", "https://docs.github.com", "https://example.org"];

    private readonly HttpClient _author;
    private readonly HttpClient _anonymous;

    public SearchIndexConsistencyTests(ServerFixture fixture)
    {
        _author = fixture.Server.CreateAuthorizedClient();
        _anonymous = fixture.Server.CreateClient();
    }

    [Fact]
    public async Task After_a_thousand_random_writes_every_search_finds_what_a_scan_of_every_post_finds()
    {
        var random = new Random(15);
        var live = new List<string>();
        var tags = new List<string> { "Alpha", "Beta", "Gamma", "Delta" };
        var renames = 0;
        for (var op = 0; op < 1_000; op++)
        {
            var dice = random.Next(100);
            if (dice < 35 || live.Count == 0)
            {
                var created = await _author.CreateAsync(Body(random, tags));
                live.Add(created.GetProperty("id").GetString()!);
            }
            else if (dice < 60)
            {
                var response = await _author.PutAsJsonAsync($"/api/posts/{live[random.Next(live.Count)]}", Body(random, tags));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            else if (dice < 75)
            {
                var id = live[random.Next(live.Count)];
                Assert.Equal(HttpStatusCode.NoContent, (await _author.DeleteAsync($"/api/posts/{id}")).StatusCode);
                live.Remove(id);
            }
            else if (dice < 90)
            {
                var items = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Body(random, tags)).ToArray();
                var response = await _author.PostBatchAsync(items);
                var batch = await response.ReadJsonAsync();
                live.AddRange(batch.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            }
            else
            {
                var which = random.Next(tags.Count);
                var to = random.Next(3) == 0 ? tags[random.Next(tags.Count)] : $"Renamed {++renames}";
                var response = await _author.PostAsJsonAsync($"/api/tags/{Slugs.ForTag(tags[which])}/rename", new { to });
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"rename answered {(int)response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    tags[which] = to;
                }
            }
        }

        var everything = await AllPostsAsync();
        Assert.Equal(live.Order(), everything.Select(p => p.Id.ToString()).Order());

        var queries = Words.SelectMany(w => new[] { w, $"{w[..2]}*", $"{w} -{Words[(Array.IndexOf(Words, w) + 1) % Words.Length]}", $"\"{w} {Words[(Array.IndexOf(Words, w) + 3) % Words.Length]}\"", $"{w} is:draft" })
            .Concat(tags.Select(t => $"tag:{Slugs.ForTag(t)}"))
            .Concat(["site:github.com", "site:docs.github.com amber", "site:example.org -basil", "renamed", "tag:alpha amber"]);
        var answered = 0;
        foreach (var q in queries)
        {
            var query = SearchQuery.Parse(q);
            var expectedByAuthor = everything.Where(p => query.Matches(p) && (!query.Drafts || p.Status == PostStatus.Draft)).Select(p => p.Id.ToString()).Order();
            var expectedByReader = everything.Where(_ => !query.Drafts).Where(p => query.Matches(p) && p.Status == PostStatus.Published).Select(p => p.Id.ToString()).Order();

            answered += expectedByAuthor.Any() ? 1 : 0;
            Assert.Equal(expectedByAuthor, (await _author.SearchAsync(q)).Select(p => p.GetProperty("id").GetString()).Order());
            Assert.Equal(expectedByReader, (await _anonymous.SearchAsync(q)).Select(p => p.GetProperty("id").GetString()).Order());
        }

        // A comparison of empty lists would prove nothing: most queries must find posts.
        Assert.True(answered > queries.Count() * 3 / 4, $"only {answered} queries found anything");
    }

    private static object Body(Random random, List<string> tags) => new
    {
        url = $"{Hosts[random.Next(Hosts.Length)]}/{Phrase(random, 1)}/{random.Next(1_000)}",
        title = Phrase(random, random.Next(1, 4)),
        commentary = Phrase(random, random.Next(0, 7)),
        tags = tags.Where(_ => random.Next(3) == 0).ToArray(),
        status = random.Next(4) == 0 ? "draft" : "published",
    };

    private static string Phrase(Random random, int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => Words[random.Next(Words.Length)]));

    private async Task<List<Post>> AllPostsAsync()
    {
        var posts = new List<Post>();
        string? cursor = null;
        do
        {
            var page = await _author.GetFromJsonAsync<JsonElement>("/api/posts?status=any&limit=200" + (cursor is null ? "" : $"&cursor={cursor}"));
            posts.AddRange(page.GetProperty("items").EnumerateArray().Select(ToPost));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        return posts;
    }

    private static Post ToPost(JsonElement json) => new()
    {
        Id = json.GetProperty("id").GetGuid(),
        Slug = json.GetProperty("slug").GetString()!,
        Url = json.GetProperty("url").GetString()!,
        Title = json.GetProperty("title").GetString()!,
        Commentary = json.GetProperty("commentary").GetString()!,
        CommentaryHtml = "",
        Tags = [.. json.GetProperty("tags").EnumerateArray().Select(t => TagRules.ToTag(t.GetString()!))],
        Status = PostStatusNames.TryParse(json.GetProperty("status").GetString(), out var status) ? status : throw new InvalidDataException(),
        CreatedAt = json.GetProperty("createdAt").GetDateTimeOffset(),
        UpdatedAt = json.GetProperty("updatedAt").GetDateTimeOffset(),
        PublishedAt = json.TryGetProperty("publishedAt", out var published) && published.ValueKind == JsonValueKind.String ? published.GetDateTimeOffset() : null,
        PublishAt = json.TryGetProperty("publishAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null,
    };
}
