using System.Diagnostics;
using System.Text;
using CsCheck;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

/// <summary>
/// Whatever bytes arrive, the parser answers with a feed or a <see cref="FeedParseException"/>: never another exception,
/// never more than a second or a bounded amount of memory for a document of a few kilobytes.
/// </summary>
public sealed class FeedParserPropertyTests
{
    private static readonly Uri Origin = new("https://property.example/feed");

    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(1);

    /// <summary>What parsing a few kilobytes may allocate at most: far above what it needs, far below a runaway.</summary>
    private const long MemoryLimit = 64L * 1024 * 1024;

    private static readonly byte[][] Fixtures = [.. Directory
        .EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "testdata", "parsing"))
        .Where(f => !f.EndsWith(".golden.json", StringComparison.Ordinal) && !f.EndsWith(".content-type", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllBytes)
        .Where(b => b.Length < 64 * 1024)];

    /// <summary>Bytes that steer random input towards the parser's interesting paths.</summary>
    private static readonly byte[][] Fragments = [.. new[]
    {
        "<", ">", "&", ";", "&#x92;", "&amp;", "<![CDATA[", "]]>", "<!--", "-->", "<?xml version=\"1.0\" encoding=\"utf-32\"?>",
        "<rss version=\"2.0\">", "<channel>", "<item>", "</item>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<entry>",
        "xml:base=\"../\"", "<content type=\"xhtml\">", "<content type=\"image/png\">", "<div xmlns=\"http://www.w3.org/1999/xhtml\">",
        "{\"version\":\"1.1\",\"items\":[", "<!DOCTYPE rss [", "<pubDate>", "2004-W53-6", "\u00ff\u00fe", "\"", "=",
    }.Select(Encoding.UTF8.GetBytes), [0x00, 0x00, 0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00], [0x92], [0xC3], [0xEF, 0xBB, 0xBF]];

    [Fact]
    public void Random_bytes_give_a_feed_or_a_parse_exception_within_limits() =>
        Gen.Byte.Array[0, 4096].Sample(AnswersWithinLimits, iter: 3000);

    [Fact]
    public void Random_fragments_of_feed_syntax_give_a_feed_or_a_parse_exception_within_limits() =>
        Gen.Int[0, Fragments.Length - 1].Array[0, 200]
            .Select(picks => picks.SelectMany(p => Fragments[p]).ToArray())
            .Sample(AnswersWithinLimits, iter: 3000);

    [Fact]
    public void Mutated_fixtures_give_a_feed_or_a_parse_exception_within_limits() =>
        Gen.Select(Gen.Int[0, Fixtures.Length - 1], Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Int[0, 64], Gen.Byte).Array[1, 12])
            .Select(t => Mutate(Fixtures[t.Item1], t.Item2))
            .Sample(AnswersWithinLimits, iter: 3000);

    private static byte[] Mutate(byte[] original, (int Kind, int At, int Length, byte Value)[] edits)
    {
        var bytes = new List<byte>(original);
        foreach (var (kind, at, length, value) in edits)
        {
            if (bytes.Count == 0)
            {
                break;
            }

            var position = at % bytes.Count;
            var span = Math.Min(length, bytes.Count - position);
            switch (kind)
            {
                case 0:
                    bytes[position] = value;
                    break;
                case 1:
                    bytes.RemoveRange(position, span);
                    break;
                case 2:
                    bytes.InsertRange(position, bytes.GetRange(position, span));
                    break;
                case 3:
                    bytes.InsertRange(position, Fragments[value % Fragments.Length]);
                    break;
                default:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
            }
        }

        return [.. bytes];
    }

    private static void AnswersWithinLimits(byte[] body)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            var feed = FeedParser.Parse(body, Origin);
            Assert.NotNull(feed.Items);
        }
        catch (FeedParseException)
        {
        }

        var elapsed = clock.Elapsed;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(elapsed < TimeLimit, $"parsing {body.Length} bytes took {elapsed.TotalMilliseconds:N0} ms");
        Assert.True(allocated < MemoryLimit, $"parsing {body.Length} bytes allocated {allocated:N0} bytes");
    }
}
