using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

public sealed class FeedDatesTests
{
    [Theory]
    [InlineData("Tue, 05 Mar 2024 09:05:00 +0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("Tue, 5 Mar 2024 9:05:00 +0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 GMT", "2024-03-05T09:05:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 UT", "2024-03-05T09:05:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 Z", "2024-03-05T09:05:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 EST", "2024-03-05T09:05:00-05:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 PDT", "2024-03-05T09:05:00-07:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 cest", "2024-03-05T09:05:00+02:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 A", "2024-03-05T09:05:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 -05:30", "2024-03-05T09:05:00-05:30")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 GMT+0200", "2024-03-05T09:05:00+02:00")]
    [InlineData("Tue, 05 Mar 2024 09:05 +0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("05 Mar 2024 09:05:00 +0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("Wed, 05 Mar 2024 09:05:00 +0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("Tue, 05 Mar 24 09:05:00 +0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("Fri, 05 Mar 99 09:05:00 +0100", "1999-03-05T09:05:00+01:00")]
    [InlineData("Tuesday, 05 March 2024 09:05:00 +0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("Tue, 05-Mar-2024 09:05:00 GMT", "2024-03-05T09:05:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00", "2024-03-05T09:05:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 +0000 (UTC)", "2024-03-05T09:05:00+00:00")]
    [InlineData("Sat, 31 Dec 2016 23:59:60 +0000", "2016-12-31T23:59:59+00:00")]
    [InlineData("05 Mar 2024", "2024-03-05T00:00:00+00:00")]
    [InlineData("March 5, 2024 09:05:00 EST", "2024-03-05T09:05:00-05:00")]
    [InlineData("2024-03-05T09:05:00Z", "2024-03-05T09:05:00+00:00")]
    [InlineData("2024-03-05T09:05:00.123456Z", "2024-03-05T09:05:00.123456+00:00")]
    [InlineData("2024-03-05T09:05:00+01:00", "2024-03-05T09:05:00+01:00")]
    [InlineData("2024-03-05T09:05:00+0100", "2024-03-05T09:05:00+01:00")]
    [InlineData("2024-03-05T09:05:00-08", "2024-03-05T09:05:00-08:00")]
    [InlineData("2024-03-05T09:05Z", "2024-03-05T09:05:00+00:00")]
    [InlineData("2024-03-05T09:05:00", "2024-03-05T09:05:00+00:00")]
    [InlineData("2024-03-05 09:05:00", "2024-03-05T09:05:00+00:00")]
    [InlineData("2024-03-05", "2024-03-05T00:00:00+00:00")]
    [InlineData("2024-03", "2024-03-01T00:00:00+00:00")]
    [InlineData("  2024-03-05T09:05:00Z\n", "2024-03-05T09:05:00+00:00")]
    public void Reads_real_world_dates(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FeedDates.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("Tue, 30 Feb 2024 09:05:00 +0000")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("Tue, 05 Foo 2024 09:05:00 +0000")]
    [InlineData("Tue, 05 Mar 2024 25:05:00 +0000")]
    [InlineData("Tue, 05 Mar 2024 09:05:00 XYZT")]
    public void Returns_null_for_what_is_not_a_date(string? text) => Assert.Null(FeedDates.Parse(text));

    [Fact]
    public void The_offset_is_kept_so_the_instant_is_exact() =>
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 8, 5, 0, TimeSpan.Zero), FeedDates.Parse("Tue, 5 Mar 2024 9:05:00 +0100")!.Value.ToUniversalTime());
}
