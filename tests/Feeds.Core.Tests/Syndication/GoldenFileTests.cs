using Feeds.Core.Syndication;

namespace Feeds.Core.Tests.Syndication;

public sealed class GoldenFileTests
{
    public static TheoryData<string, string> Documents()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in SampleFeeds.Scenarios)
        {
            foreach (var writer in FeedWriters.All)
            {
                data.Add(scenario, writer.FileExtension);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Rendered_feed_matches_its_golden_file_byte_for_byte(string scenario, string format)
    {
        var writer = FeedWriters.ForExtension(format)!;
        var bytes = writer.WriteToArray(SampleFeeds.Scenario(scenario, writer));
        Golden.AssertMatches($"{scenario}.{format}", bytes);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Writing_to_a_stream_gives_the_same_bytes_as_to_a_buffer(string scenario, string format)
    {
        var writer = FeedWriters.ForExtension(format)!;
        var feed = SampleFeeds.Scenario(scenario, writer);
        using var stream = new MemoryStream();
        writer.Write(feed, stream);
        Assert.Equal(writer.WriteToArray(feed), stream.ToArray());
    }
}
