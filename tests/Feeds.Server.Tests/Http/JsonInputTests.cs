using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Feeds.Server.Tests.Sources;
using Feeds.Server.Tests.Webhooks;

namespace Feeds.Server.Tests.Http;

/// <summary>
/// Every route that takes a JSON body answers text that cannot be read exactly (a property given twice, bytes that
/// are not UTF-8, an escaped half of a surrogate pair) with one 400 problem naming the field, and stores nothing.
/// </summary>
public sealed class JsonInputTests(JsonInputTests.Site site) : IClassFixture<JsonInputTests.Site>
{
    /// <summary>A bad value's place in each route's body: <c>$V</c> stands for the value of <see cref="Route.Field"/>.</summary>
    /// <param name="Pattern">The route as mapped, to check that these are all the routes that read JSON.</param>
    /// <param name="State">What to read before and after, to see that nothing was stored.</param>
    public sealed record Route(string Method, string Pattern, string Path, string Body, string Field, string State);

    public static TheoryData<string> Routes => [.. Site.RouteNames];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_property_given_twice_is_refused_with_400_naming_it_and_nothing_is_stored(string name)
    {
        var route = site.Routes[name];
        var property = route.Field.Split('.')[^1].Split('[')[0];
        await AssertRefusedAsync(route, Encoding.UTF8.GetBytes(route.Body.Replace("$V", $"\"first\",\"{property}\":\"second\"", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Bytes_that_are_not_utf8_are_refused_with_400_naming_the_field_and_nothing_is_stored(string name)
    {
        var route = site.Routes[name];
        var parts = route.Body.Split("$V");
        byte[] body = [.. Encoding.UTF8.GetBytes(parts[0] + "\"ab"), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("cd\"" + parts[1])];
        await AssertRefusedAsync(route, body);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_unpaired_surrogate_escape_is_refused_with_400_naming_the_field_and_nothing_is_stored(string name)
    {
        var route = site.Routes[name];
        await AssertRefusedAsync(route, Encoding.UTF8.GetBytes(route.Body.Replace("$V", "\"ab\\ud800cd\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void These_are_all_the_routes_that_read_json_and_each_reads_it_into_a_type_of_its_own()
    {
        var reading = site.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Body: e.Metadata.GetMetadata<IAcceptsMetadata>()))
            .Where(e => e.Body?.ContentTypes.Any(t => t.EndsWith("json", StringComparison.Ordinal)) == true)
            .ToList();

        Assert.Equal(
            site.Routes.Values.Select(r => $"{r.Method} {r.Pattern}").Distinct().Order(StringComparer.Ordinal),
            reading.Select(e => $"{e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single()} {e.Endpoint.RoutePattern.RawText}").Order(StringComparer.Ordinal));
        // JsonElement and JsonNode keep text undecoded: bytes that are not UTF-8 would come out as U+FFFD.
        Assert.DoesNotContain(reading, e => e.Body!.RequestType is { } type
            && (type == typeof(JsonElement) || type == typeof(JsonDocument) || typeof(System.Text.Json.Nodes.JsonNode).IsAssignableFrom(type)));
    }

    private async Task AssertRefusedAsync(Route route, byte[] body)
    {
        var before = await site.Author.GetStringAsync(route.State);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(route.Method == "PATCH" ? "application/merge-patch+json" : "application/json");
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path) { Content = content };

        var problem = await (await site.Author.SendAsync(request)).AssertProblemAsync(400);

        Assert.Equal([route.Field], problem.ErrorFields());
        Assert.Equal(before, await site.Author.GetStringAsync(route.State));
    }

    /// <summary>One server with a post, a tag, a token, a followed source and a webhook endpoint to aim at.</summary>
    public sealed class Site : SourcesFixture
    {
        public static readonly string[] RouteNames =
        [
            "create post", "replace post", "patch post", "patch post commentary", "patch post via", "import posts", "rename tag", "create token",
            "follow source", "patch source", "create webhook", "patch webhook", "replay webhook",
        ];

        public IReadOnlyDictionary<string, Route> Routes { get; private set; } = null!;

        public IReadOnlyList<Endpoint> Endpoints => Server.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        protected override void Configure(Dictionary<string, string?> settings)
        {
            foreach (var (key, value) in Webhooks.Webhooks.FastSettings())
            {
                settings[key] = value;
            }
        }

        protected override async Task SeedAsync()
        {
            Upstream.Feed("feed.xml", TestFeeds.Rss("Upstream", "https://upstream.example/", TestFeeds.Recent("up", 1, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero))));

            var post = (await Author.CreateAsync(new { url = "https://example.com/kept", title = "Kept", tags = new[] { "Kept Tag" }, via = new { url = "https://example.org/" } }))
                .GetProperty("id").GetString();
            var source = (await Author.FollowAsync(new { url = Upstream.Url("feed.xml") })).GetProperty("id").GetInt64();
            var (webhook, _) = await Author.SubscribeAsync("http://127.0.0.1:9/hook", tags: ["matches-no-post"]);
            var feed = Upstream.Url("feed.xml");

            Routes = new Dictionary<string, Route>
            {
                ["create post"] = new("POST", "/api/posts/", "/api/posts", """{"url":"https://example.com/new","title":$V}""", "title", "/api/posts?status=any"),
                ["replace post"] = new("PUT", "/api/posts/{id:guid}", $"/api/posts/{post}", """{"url":"https://example.com/new","commentary":$V,"title":"New"}""", "commentary", $"/api/posts/{post}"),
                ["patch post"] = new("PATCH", "/api/posts/{id:guid}", $"/api/posts/{post}", """{"title":$V}""", "title", $"/api/posts/{post}"),
                ["patch post commentary"] = new("PATCH", "/api/posts/{id:guid}", $"/api/posts/{post}", """{"commentary":$V}""", "commentary", $"/api/posts/{post}"),
                ["patch post via"] = new("PATCH", "/api/posts/{id:guid}", $"/api/posts/{post}", """{"via":{"title":$V}}""", "via.title", $"/api/posts/{post}"),
                ["import posts"] = new("POST", "/api/posts/batch", "/api/posts/batch", """{"items":[{"url":"https://example.com/a","title":"A"},{"url":"https://example.com/b","title":$V}]}""", "items[1].title", "/api/posts?status=any"),
                ["rename tag"] = new("POST", "/api/tags/{slug}/rename", "/api/tags/kept-tag/rename", """{"to":$V}""", "to", "/api/tags"),
                ["create token"] = new("POST", "/api/tokens/", "/api/tokens", """{"name":$V}""", "name", "/api/tokens"),
                ["follow source"] = new("POST", "/api/sources/", "/api/sources", $$"""{"url":"{{feed}}?new","title":$V}""", "title", "/api/sources"),
                ["patch source"] = new("PATCH", "/api/sources/{id:long}", $"/api/sources/{source}", """{"title":$V}""", "title", $"/api/sources/{source}"),
                ["create webhook"] = new("POST", "/api/webhooks/", "/api/webhooks", """{"events":["post.published"],"url":$V}""", "url", "/api/webhooks"),
                ["patch webhook"] = new("PATCH", "/api/webhooks/{id:guid}", $"/api/webhooks/{webhook}", """{"url":$V}""", "url", $"/api/webhooks/{webhook}"),
                ["replay webhook"] = new("POST", "/api/webhooks/{id:guid}/replay", $"/api/webhooks/{webhook}/replay", """{"messageId":$V}""", "messageId", $"/api/webhooks/{webhook}/messages"),
            };
            Assert.Equal(RouteNames.Order(), Routes.Keys.Order());
        }
    }
}
