namespace Feeds.Server.Desk;

/// <summary>
/// The bookmarklet the desk offers: on any page it opens the compose form with the page's address, title and selected
/// text in a small window, or, where the window is blocked, goes to the form in the same tab.
/// </summary>
public static class Bookmarklet
{
    public static string For(string siteUrl)
    {
        var site = siteUrl.TrimEnd('/').Replace("'", "%27", StringComparison.Ordinal);
        return "javascript:(function(){var d=document,w=window,e=encodeURIComponent,"
            + "s=String(w.getSelection?w.getSelection():''),"
            + $"u='{site}/desk/new?url='+e(location.href)+'&title='+e(d.title)+'&text='+e(s),"
            + "p=w.open(u+'&popup=true','feeds-compose','width=720,height=720,resizable,scrollbars');"
            + "if(!p){location.href=u;}})();";
    }
}
