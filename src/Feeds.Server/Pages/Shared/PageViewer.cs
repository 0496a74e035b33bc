namespace Feeds.Server.Pages.Shared;

/// <summary>
/// Who is looking at a page: the signed-in author sees what only they may use (a post's edit and delete controls),
/// so each post's article is rendered and kept once per kind of viewer.
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
