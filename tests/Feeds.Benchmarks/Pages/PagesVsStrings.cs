extern alias server;

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using server::Feeds.Server.ActivityPub;
using server::Feeds.Server.Pages;
using server::Feeds.Server.Pages.Shared;

namespace Feeds.Benchmarks.Pages;

/// <summary>
/// The public pages as Razor components against the string-built pages they replaced (<see cref="StringPageRenderer"/>),
/// side by side in one process over one database: rounds of a few seconds each alternate between the two, so each
/// ratio compares figures taken seconds apart. Each page is timed two ways, on one thread: the whole answer (the
/// page's queries, rendering, UTF-8 bytes, ETag, written to a null body) and rendering alone (posts fetched once). The
/// posts' articles come from <see cref="PostArticles"/> as the service keeps them, rendered once in the warm-up.
/// The output cache in front of the pages is left out: it answers both kinds of page alike.
/// </summary>
internal static class PagesVsStrings
{
    private static readonly HashSet<PostStatus> _published = [PostStatus.Published];

    /// <summary><c>pages [ROUNDS=7] [SECONDS=2] [POSTS=300] [CASE]</c>, CASE a part of the names of the cases to run</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Argument(args, 0, 7);
        var seconds = Argument(args, 1, 2);
        var postCount = Argument(args, 2, 300);
        var only = args.Length > 3 ? args[3] : "";

        var data = Path.Combine(Path.GetTempPath(), "feeds-pages-" + Guid.NewGuid().ToString("N"));
        await using var host = new InProcessServer(data);
        await SeedAsync(host, postCount);

        var services = host.Services;
        var posts = services.GetRequiredService<PostQueries>();
        var tags = services.GetRequiredService<TagStore>();
        var composer = services.GetRequiredService<FeedComposer>();
        var notes = services.GetRequiredService<ActivityPubDocuments>();
        var articles = services.GetRequiredService<PostArticles>();
        var home = await posts.ListAsync(new PostQuery { Statuses = _published, Limit = SitePages.PostsPerPage }, CancellationToken.None);
        var tagList = (await tags.ListAsync(CancellationToken.None)).Where(t => t.IsPublic).ToList();
        var pythonTag = (await tags.GetPublicAsync("python", CancellationToken.None))!;
        var pythonKey = FeedKey.ForTags(pythonTag);
        var python = await posts.ListAsync(new PostQuery { AllTagSlugs = ["python"], Statuses = _published, Limit = SitePages.PostsPerPage }, CancellationToken.None);
        var one = home.Posts[0];
        var first = new PostPager(IsFirstPage: true, composer.PageUrl(FeedKey.Everything), OlderUrl: composer.PageUrl(FeedKey.Everything) + "?before=x");
        var firstOfTag = new PostPager(IsFirstPage: true, composer.PageUrl(pythonKey), OlderUrl: null);
        var permalinkParts = one.PermalinkPath.Trim('/').Split('/');

        var cases = new (string Name, Func<HttpContext, Task> Razor, Func<HttpContext, Task> Strings)[]
        {
            ("home, whole answer",
                async c => await (await SitePages.Home(null, c, posts, tags, articles, composer, c.RequestAborted)).ExecuteAsync(c),
                async c =>
                {
                    var page = await posts.ListAsync(new PostQuery { Statuses = _published, Limit = SitePages.PostsPerPage }, c.RequestAborted);
                    var list = (await tags.ListAsync(c.RequestAborted)).Where(t => t.IsPublic).ToList();
                    await WriteAsync(c, StringPageRenderer.Home(composer, page.Posts, list, first));
                }),
            ("tag page, whole answer",
                async c => await (await SitePages.TagPage("python", null, c, posts, tags, articles, composer, c.RequestAborted)).Result.ExecuteAsync(c),
                async c =>
                {
                    var tag = (await tags.GetPublicAsync("python", c.RequestAborted))!;
                    var page = await posts.ListAsync(
                        new PostQuery { AllTagSlugs = [tag.Slug], Statuses = _published, Limit = SitePages.PostsPerPage }, c.RequestAborted);
                    await WriteAsync(c, StringPageRenderer.TagPage(composer, FeedKey.ForTags(tag), page.Posts, firstOfTag));
                }),
            ("permalink, whole answer",
                async c => await (await SitePages.Permalink(permalinkParts[0], permalinkParts[1], permalinkParts[2], one.Slug, c, posts, articles, composer, notes, c.RequestAborted))
                    .Result.ExecuteAsync(c),
                async c => await WriteAsync(c, StringPageRenderer.Permalink(composer, (await posts.GetBySlugAsync(one.Slug, c.RequestAborted))!))),
            ("home, rendering only",
                async c => await HtmlPageResult.For<HomePage>(new Dictionary<string, object?>
                {
                    [nameof(HomePage.Articles)] = await articles.ListAsync(home.Posts, PageViewer.Anonymous), [nameof(HomePage.Tags)] = tagList,
                    [nameof(HomePage.Position)] = first,
                }).ExecuteAsync(c),
                c => WriteAsync(c, StringPageRenderer.Home(composer, home.Posts, tagList, first))),
            ("tag page, rendering only",
                async c => await HtmlPageResult.For<TagPage>(new Dictionary<string, object?>
                {
                    [nameof(TagPage.Key)] = pythonKey, [nameof(TagPage.Articles)] = await articles.ListAsync(python.Posts, PageViewer.Anonymous),
                    [nameof(TagPage.Position)] = firstOfTag,
                }).ExecuteAsync(c),
                c => WriteAsync(c, StringPageRenderer.TagPage(composer, pythonKey, python.Posts, firstOfTag))),
            ("permalink, rendering only",
                async c => await HtmlPageResult.For<PermalinkPage>(new Dictionary<string, object?>
                {
                    [nameof(PermalinkPage.Post)] = one, [nameof(PermalinkPage.Article)] = await articles.RenderAsync(one, heading: 1, PageViewer.Anonymous),
                }).ExecuteAsync(c),
                c => WriteAsync(c, StringPageRenderer.Permalink(composer, one))),
        };

        Console.WriteLine($"{postCount} posts; {rounds} rounds of {seconds} s per kind of page and renderer, alternating; load average {LoadAverage()}");
        foreach (var (name, razor, strings) in cases.Where(c => c.Name.Contains(only, StringComparison.Ordinal)))
        {
            // Warm both up (tiered compilation, the renderer's component metadata).
            await PagesPerSecondAsync(services, razor, TimeSpan.FromSeconds(1));
            await PagesPerSecondAsync(services, strings, TimeSpan.FromSeconds(1));
            var ratios = new List<double>(rounds);
            var razorRates = new List<double>(rounds);
            var stringRates = new List<double>(rounds);
            for (var round = 0; round < rounds; round++)
            {
                var r = await PagesPerSecondAsync(services, razor, TimeSpan.FromSeconds(seconds));
                var s = await PagesPerSecondAsync(services, strings, TimeSpan.FromSeconds(seconds));
                razorRates.Add(r);
                stringRates.Add(s);
                ratios.Add(r / s);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: Razor {Median(razorRates):0} pages/s, strings {Median(stringRates):0} pages/s; ratio median {Median(ratios):0.00}x " +
                $"(rounds {ratios.Min():0.00}-{ratios.Max():0.00}x; target >= 0.8x)"));
        }

        Console.WriteLine($"load average {LoadAverage()}");
        await host.DisposeAsync();
        Directory.Delete(data, recursive: true);
        return 0;
    }

    /// <summary>Pages answered per second by one caller, each on a request of its own as the service would get it.</summary>
    private static async Task<double> PagesPerSecondAsync(IServiceProvider services, Func<HttpContext, Task> answer, TimeSpan duration)
    {
        var count = 0;
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            await using var scope = services.CreateAsyncScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Method = HttpMethods.Get;
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("127.0.0.1");
            context.Request.Path = "/";
            context.Response.Body = Stream.Null;
            await answer(context);
            count++;
        }

        return count / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>What the string-built pages' result did with the HTML: UTF-8 bytes, their ETag, the body written.</summary>
    private static async Task WriteAsync(HttpContext context, string html)
    {
        var body = Encoding.UTF8.GetBytes(html);
        var response = context.Response;
        response.Headers.ETag = "\"" + WebEncoders.Base64UrlEncode(SHA256.HashData(body), 0, 16) + "\"";
        response.Headers.CacheControl = "no-cache";
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task SeedAsync(InProcessServer host, int count)
    {
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InProcessServer.Token);
        string[] tags = ["Python", "SQLite", "Web Standards", "Feeds", "Performance", "Security", "C#", ".NET", "Typography", "Open Source"];
        var start = new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);
        for (var batch = 0; batch < count; batch += 100)
        {
            var items = Enumerable.Range(batch, Math.Min(100, count - batch)).Select(i => new
            {
                url = $"https://example.com/articles/{i}/a-reasonably-long-slug-for-an-article",
                title = $"An article worth reading, number {i}, with a title of ordinary length",
                commentary = $"Some commentary with *emphasis*, `code` and [a link](https://example.org/{i}).\n\n> A quoted line from the article, as authors often add.\n\nA second paragraph of about the length people write, {i}.",
                tags = new[] { tags[i % tags.Length], tags[(i * 3 + 1) % tags.Length] },
                via = i % 3 == 0 ? new { url = "https://news.example/", title = "A news site" } : null,
                status = "published",
                publishedAt = start.AddHours(i),
            }).ToArray();
            var response = await client.PostAsJsonAsync("/api/posts/batch", new { items });
            response.EnsureSuccessStatusCode();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";

    private static int Argument(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
}
