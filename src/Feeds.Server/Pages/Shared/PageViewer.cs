namespace Feeds.Server.Pages.Shared;

/// <summary>
/// Who is looking at a page. The layout hands it down as a cascading value, so any part of a page can show what only
/// the signed-in author may use (a link to the desk, a post's edit and delete controls) without being told by each page.
/// </summary>
public sealed record PageViewer(bool IsAuthor)
{
    public static PageViewer Anonymous { get; } = new(IsAuthor: false);

    /// <summary>
    /// The viewer of <paramref name="context"/>'s request: the author when it is authenticated, which anonymous readers
    /// never are. The output cache neither stores nor serves authenticated requests, so what the author sees stays theirs.
    /// </summary>
    public static PageViewer Of(HttpContext? context) =>
        context?.User.Identity?.IsAuthenticated == true ? new PageViewer(IsAuthor: true) : Anonymous;
}
