namespace Feeds.Server.Pages;

/// <summary>
/// The request a page is being rendered for, in the scope of the pooled renderer rendering it (one page at a time each):
/// what <c>RazorComponentResult</c> cascades as <see cref="HttpContext"/>, without a component around every page.
/// </summary>
public sealed class PageRequest
{
    public HttpContext? Current { get; set; }
}
