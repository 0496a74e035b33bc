namespace Feeds.Server.WebSub;

/// <summary>The values of <c>hub.mode</c>.</summary>
public static class HubModes
{
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
    public const string Denied = "denied";
    public const string Publish = "publish";
}
