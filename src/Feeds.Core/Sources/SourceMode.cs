namespace Feeds.Core.Sources;

/// <summary>What a followed source's new items become: drafts waiting for the author, or published posts.</summary>
public enum SourceMode
{
    Draft,
    Publish,
}

/// <summary>The wire names of <see cref="SourceMode"/>, used by the API and the database alike.</summary>
public static class SourceModeNames
{
    public const string Draft = "draft";
    public const string Publish = "publish";

    public static string ToName(this SourceMode mode) => mode switch
    {
        SourceMode.Draft => Draft,
        SourceMode.Publish => Publish,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static bool TryParse(string? name, out SourceMode mode)
    {
        switch (name)
        {
            case Draft: mode = SourceMode.Draft; return true;
            case Publish: mode = SourceMode.Publish; return true;
            default: mode = default; return false;
        }
    }
}
