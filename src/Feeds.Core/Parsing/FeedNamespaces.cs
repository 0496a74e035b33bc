namespace Feeds.Core.Parsing;

/// <summary>The namespaces of the formats and extensions the parser reads, in one place.</summary>
internal static class FeedNamespaces
{
    public const string Atom10 = "http://www.w3.org/2005/Atom";
    public const string Atom03 = "http://purl.org/atom/ns#";
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Rss10 = "http://purl.org/rss/1.0/";
    public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    public const string Content = "http://purl.org/rss/1.0/modules/content/";
    public const string Dc = "http://purl.org/dc/elements/1.1/";
    public const string DcTerms = "http://purl.org/dc/terms/";
    public const string Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    public const string Media = "http://search.yahoo.com/mrss/";

    /// <summary>The Media RSS namespace as many publishers write it, without its final slash.</summary>
    public const string MediaWithoutSlash = "http://search.yahoo.com/mrss";
    public const string Xhtml = "http://www.w3.org/1999/xhtml";
    public const string Xml = "http://www.w3.org/XML/1998/namespace";
}
