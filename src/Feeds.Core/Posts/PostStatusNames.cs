namespace Feeds.Core.Posts;

/// <summary>The wire names of <see cref="PostStatus"/>, used by the API and the database alike.</summary>
public static class PostStatusNames
{
    public const string Draft = "draft";
    public const string Scheduled = "scheduled";
    public const string Published = "published";

    public static string ToName(this PostStatus status) => status switch
    {
        PostStatus.Draft => Draft,
        PostStatus.Scheduled => Scheduled,
        PostStatus.Published => Published,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? name, out PostStatus status)
    {
        switch (name)
        {
            case Draft: status = PostStatus.Draft; return true;
            case Scheduled: status = PostStatus.Scheduled; return true;
            case Published: status = PostStatus.Published; return true;
            default: status = default; return false;
        }
    }
}
