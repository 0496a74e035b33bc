using Xunit.Sdk;

namespace Feeds.Server.Tests.Pages;

/// <summary>The page checker must itself catch broken HTML, or every page test would pass for nothing.</summary>
public sealed class HtmlPagesTests
{
    private const string Head = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>t</title>\n</head>\n<body>\n";

    [Fact]
    public void A_clean_page_passes() => HtmlPages.Parse(Head + "<p>fine &amp; dandy</p>\n</body>\n</html>\n");

    [Theory]
    [InlineData("<p>a <b>bold</p> claim</b>")]
    [InlineData("<p>a < b & c</p>")]
    [InlineData("<p>\u0001</p>")]
    [InlineData("<p title=\"x\"y>quoted badly</p>")]
    public void Broken_markup_fails(string body) =>
        Assert.ThrowsAny<XunitException>(() => HtmlPages.Parse(Head + body + "\n</body>\n</html>\n"));

    [Fact]
    public void A_page_without_a_doctype_fails() =>
        Assert.ThrowsAny<XunitException>(() => HtmlPages.Parse("<html><head><meta charset=\"utf-8\"><title>t</title></head><body></body></html>"));
}
