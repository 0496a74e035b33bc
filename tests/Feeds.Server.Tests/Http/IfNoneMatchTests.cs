using Feeds.Server.Http;
using Microsoft.Extensions.Primitives;

namespace Feeds.Server.Tests.Http;

/// <summary>The one If-None-Match rule feeds and pages share.</summary>
public sealed class IfNoneMatchTests
{
    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("W/\"abc\"")]
    [InlineData("\"x\", W/\"abc\"")]
    [InlineData(" \"x\" ,\"abc-gzip\" ")]
    [InlineData("*")]
    public void A_listed_tag_matches_weakly_in_any_of_its_codings(string header) =>
        Assert.True(IfNoneMatch.Matches(new StringValues(header), "\"abc\"", "\"abc-gzip\"", "\"abc-br\""));

    [Theory]
    [InlineData("\"abcd\"")]
    [InlineData("abc")]
    [InlineData("")]
    public void Another_tag_does_not_match(string header) =>
        Assert.False(IfNoneMatch.Matches(new StringValues(header), "\"abc\"", "\"abc-gzip\"", "\"abc-br\""));

    [Fact]
    public void Tags_in_separate_header_lines_are_all_read() =>
        Assert.True(IfNoneMatch.Matches(new StringValues(["\"x\"", "\"abc\""]), "\"abc\""));
}
