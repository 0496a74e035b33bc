namespace Feeds.Core.Tests.Parsing.Reference;

/// <summary>One field on which our parser and the reference parser read one fixture differently.</summary>
/// <param name="Field">A path such as <c>feed.title</c>, <c>entries[2].published</c> or <c>document</c> (one refused it).</param>
public sealed record Disagreement(string Fixture, string Field, string Ours, string Reference)
{
    public override string ToString() => $"{Fixture} | {Field}: ours «{Ours}», reference «{Reference}»";
}
