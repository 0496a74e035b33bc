using System.Text;
using Feeds.Core.Posts;
using Feeds.Core.Syndication;
using Feeds.Data.Posts;
using Feeds.Data.Tags;
using Feeds.Server.Desk;
using Feeds.Server.Desk.Pages;
using Feeds.Server.Pages;
using Feeds.Server.Pages.Shared;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Feeds.Server.Tests.Pages;

/// <summary>
/// Pages are rendered by long-lived renderers (<see cref="ComponentRenderers"/>) instead of ASP.NET Core's
/// <see cref="RazorComponentResult"/>, which sets up a renderer per request: the HTML must be the same, and a renderer
/// must keep nothing of the pages it rendered.
/// </summary>
public sealed class ComponentRenderersTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ComponentRenderers Renderers => fixture.Server.Services.GetRequiredService<ComponentRenderers>();

    [Fact]
    public async Task Every_kind_of_page_is_written_as_RazorComponentResult_writes_it()
    {
        await fixture.Author.CreateAsync(new
        {
            url = "https://example.com/ünïcode?a=1&b=<2>",
            title = "Quotes \" & <angles> · ünïcode",
            commentary = "Some *emphasis* and a [link](https://example.org/).",
            tags = new[] { "Python", "Web Standards" },
            via = new { url = "https://friend.example/", title = "A friend" },
        });
        var services = fixture.Server.Services;
        var post = (await services.GetRequiredService<PostQueries>().ListAsync(new PostQuery { Limit = 1 }, CancellationToken.None)).Posts[0];
        var articles = services.GetRequiredService<PostArticles>();
        var composer = services.GetRequiredService<FeedComposer>();
        var tags = (await services.GetRequiredService<TagStore>().ListAsync(CancellationToken.None)).ToList();
        var position = new PostPager(IsFirstPage: true, composer.PageUrl(FeedKey.Everything), OlderUrl: composer.PageUrl(FeedKey.Everything) + "?before=x");

        await AssertSameHtmlAsync<PermalinkPage>(new()
        {
            [nameof(PermalinkPage.Post)] = post,
            [nameof(PermalinkPage.Article)] = await articles.RenderAsync(post, heading: 1, PageViewer.Anonymous),
        });
        await AssertSameHtmlAsync<HomePage>(new()
        {
            [nameof(HomePage.Articles)] = await articles.ListAsync([post], new PageViewer(IsAuthor: true)),
            [nameof(HomePage.Tags)] = tags,
            [nameof(HomePage.Position)] = position,
        });
        await AssertSameHtmlAsync<TagPage>(new()
        {
            [nameof(TagPage.Key)] = FeedKey.ForTags(post.Tags),
            [nameof(TagPage.Articles)] = await articles.ListAsync([post], PageViewer.Anonymous),
            [nameof(TagPage.Position)] = position with { OlderUrl = null },
        });
        await AssertSameHtmlAsync<ProblemPage>(new() { [nameof(ProblemPage.Heading)] = "Not found", [nameof(ProblemPage.Message)] = "Nothing <here>." });
        await AssertSameHtmlAsync<DeskRoot>(new()
        {
            [nameof(DeskRoot.Frame)] = new DeskFrame("__RequestVerificationToken", "a-token", SignedIn: true, "A site"),
            [nameof(DeskRoot.Page)] = typeof(DeskProblemPage),
            [nameof(DeskRoot.PageParameters)] = new Dictionary<string, object?> { [nameof(DeskProblemPage.Heading)] = "Gone", [nameof(DeskProblemPage.Message)] = "It is gone." },
        });
    }

    [Fact]
    public async Task A_rendered_component_is_disposed_once_its_html_is_written()
    {
        var disposed = new Counter();
        for (var i = 0; i < 5; i++)
        {
            var html = await Renderers.RenderToStringAsync<Disposable>(new Dictionary<string, object?> { [nameof(Disposable.Text)] = $"page {i}", [nameof(Disposable.Disposed)] = disposed });
            Assert.Equal($"<p>page {i}</p>", html);
        }

        Assert.Equal(5, disposed.Count);
    }

    [Fact]
    public async Task A_component_that_fails_fails_its_own_render_only()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Renderers.RenderToStringAsync<Failing>(new Dictionary<string, object?>()));
        Assert.Equal(Failing.Message, failure.Message);

        // More renders than the pool keeps renderers: each of them, whichever renderer it gets, writes its page.
        for (var i = 0; i < 4 * Environment.ProcessorCount + 1; i++)
        {
            Assert.Equal("<p>after</p>", await Renderers.RenderToStringAsync<Disposable>(new Dictionary<string, object?> { [nameof(Disposable.Text)] = "after" }));
        }
    }

    [Fact]
    public async Task Pages_rendered_at_once_each_get_their_own_html()
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            Renderers.RenderToStringAsync<Disposable>(new Dictionary<string, object?> { [nameof(Disposable.Text)] = $"page {i}" }))));

        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"<p>page {i}</p>"), pages);
    }

    private async Task AssertSameHtmlAsync<TPage>(Dictionary<string, object?> parameters)
        where TPage : IComponent
    {
        var expected = await BodyAsync(new RazorComponentResult<TPage>(parameters) { PreventStreamingRendering = true });
        var actual = await BodyAsync(HtmlPageResult.For<TPage>(parameters));
        Assert.Contains("</html>", actual, StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    private async Task<string> BodyAsync(IResult result)
    {
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1");
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return Encoding.UTF8.GetString(body.ToArray());
    }

    private sealed class Counter
    {
        public int Count { get; set; }
    }

    private sealed class Disposable : ComponentBase, IDisposable
    {
        [Parameter] public string Text { get; set; } = "";

        [Parameter] public Counter? Disposed { get; set; }

        public void Dispose()
        {
            if (Disposed is not null)
            {
                Disposed.Count++;
            }
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddContent(1, Text);
            builder.CloseElement();
        }
    }

    private sealed class Failing : ComponentBase
    {
        public const string Message = "This component cannot be rendered.";

        protected override void BuildRenderTree(RenderTreeBuilder builder) => throw new InvalidOperationException(Message);
    }
}
