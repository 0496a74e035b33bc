using System.Text.Json;
using Feeds.Core.Parsing;
using Feeds.Tests;

namespace Feeds.Core.Tests.Parsing.Reference;

/// <summary>
/// The differential test against the reference parser (Python feedparser, through <c>shared/tools/parse-feedparser.py
/// --full</c>): every fixture under <c>testdata/parsing</c> is served on loopback, read by both parsers from the same
/// URL, and compared with <see cref="ReferenceComparison"/>. Each disagreement must be named in
/// <c>testdata/reference-allowlist.txt</c> with its reason, and each entry there must still be needed.
/// </summary>
public sealed class ReferenceAgreementTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<Task<Outcome>> Run = new(RunAsync);

    [Fact]
    public async Task Every_fixture_reads_as_the_reference_reads_it_but_for_the_allowed_differences()
    {
        var outcome = await ComparedAsync();
        var unexplained = outcome.Disagreements.Where(d => outcome.AllowList.Allowing(d) is null).ToList();
        Assert.True(
            unexplained.Count == 0,
            $"{unexplained.Count} disagreement(s) with the reference parser are not in testdata/reference-allowlist.txt:\n"
                + string.Join('\n', unexplained));
    }

    [Fact]
    public async Task Every_allowed_difference_still_occurs()
    {
        var outcome = await ComparedAsync();
        var stale = outcome.AllowList.Entries.Where(e => !outcome.Disagreements.Any(d => outcome.AllowList.Allowing(d) == e)).ToList();
        Assert.True(stale.Count == 0, "allow-list entries no disagreement needs any more:\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task The_fixtures_cover_every_class_of_the_issue_and_most_fields_agree()
    {
        var outcome = await ComparedAsync();
        Assert.True(outcome.Fixtures >= 40, $"only {outcome.Fixtures} fixtures");
        Assert.True(outcome.Disagreements.Count * 20 < outcome.FieldsCompared, $"{outcome.Disagreements.Count} disagreements over {outcome.FieldsCompared} fields");
    }

    private static async Task<Outcome> ComparedAsync()
    {
        _ = ExternalTools.Require("parse-feedparser.py");
        if (!File.Exists(Python))
        {
            Assert.Skip($"parse-feedparser.py: needs {Python}, which is not installed (run shared/tools/install.sh).");
        }

        var (exit, _, _) = await ExternalTools.RunAsync(Python, ["-c", "import feedparser"]);
        if (exit != 0)
        {
            Assert.Skip("parse-feedparser.py: needs python3-feedparser, which is not installed (run shared/tools/install.sh).");
        }

        return await Run.Value;
    }

    private static async Task<Outcome> RunAsync()
    {
        var script = Path.Combine(ExternalTools.Directory!, "parse-feedparser.py");
        var root = Path.Combine(AppContext.BaseDirectory, "testdata", "parsing");
        var allowList = AllowList.Load(Path.Combine(AppContext.BaseDirectory, "testdata", "reference-allowlist.txt"));
        var fixtures = GoldenFeedTests.Fixtures().Select(row => (string)row.Data).ToList();
        await using var server = new LoopbackFiles(root);
        var disagreements = new List<Disagreement>();
        var fields = 0;
        await Parallel.ForEachAsync(fixtures, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (fixture, _) =>
        {
            var url = new Uri(server.BaseUrl, fixture);
            var (_, stdout, stderr) = await ExternalTools.RunAsync(Python, [script, "--full", url.AbsoluteUri], TimeSpan.FromMinutes(1));
            using var reference = JsonDocument.Parse(stdout.Length > 0 ? stdout : throw new InvalidOperationException($"parse-feedparser.py printed nothing for {fixture}: {stderr}"));
            var path = Path.Combine(root, fixture);
            ParsedFeed? ours = null;
            string? error = null;
            try
            {
                ours = FeedParser.Parse(File.ReadAllBytes(path), url, LoopbackFiles.ContentTypeOf(path));
            }
            catch (FeedParseException e)
            {
                error = e.Message;
            }

            var found = ReferenceComparison.Compare(fixture, ours, error, reference.RootElement);
            lock (disagreements)
            {
                disagreements.AddRange(found);
                fields += 4 + (ours?.Items.Count ?? 0) * 14;
            }
        });

        return new Outcome(allowList, [.. disagreements.OrderBy(d => d.Fixture, StringComparer.Ordinal)], fixtures.Count, fields);
    }

    private sealed record Outcome(AllowList AllowList, IReadOnlyList<Disagreement> Disagreements, int Fixtures, int FieldsCompared);
}
