using System.Text.RegularExpressions;

namespace Feeds.Core.Tests.Parsing.Reference;

/// <summary>
/// The disagreements with the reference parser that are intended, read from <c>testdata/reference-allowlist.txt</c>:
/// one per line, <c>fixture | field | reason</c>, where fixture and field may hold <c>*</c> for any run of characters.
/// Lines starting with <c>#</c> are comments. Every entry must give its reason.
/// </summary>
public sealed class AllowList
{
    private AllowList(IReadOnlyList<Entry> entries) => Entries = entries;

    public IReadOnlyList<Entry> Entries { get; }

    public static AllowList Load(string path)
    {
        var entries = new List<Entry>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('|', 3, StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || parts[2].Length == 0)
            {
                throw new FormatException($"{Path.GetFileName(path)} line {number}: expected 'fixture | field | reason'.");
            }

            entries.Add(new Entry(parts[0], parts[1], parts[2], Glob(parts[0]), Glob(parts[1])));
        }

        return new AllowList(entries);
    }

    /// <summary>The entry allowing <paramref name="disagreement"/>; null when none does.</summary>
    public Entry? Allowing(Disagreement disagreement) =>
        Entries.FirstOrDefault(e => e.FixturePattern.IsMatch(disagreement.Fixture) && e.FieldPattern.IsMatch(disagreement.Field));

    private static Regex Glob(string pattern) =>
        new("^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);

    public sealed record Entry(string Fixture, string Field, string Reason, Regex FixturePattern, Regex FieldPattern)
    {
        public override string ToString() => $"{Fixture} | {Field} | {Reason}";
    }
}
