namespace Feeds.Core.Search;

/// <summary>A word, or words that must follow one another (a phrase); with <see cref="Prefix"/> the last word may go on.</summary>
public sealed record SearchTerm(IReadOnlyList<string> Words, bool Prefix)
{
    /// <summary>True when the words stand in this order, one after another, within <paramref name="field"/> (words of a field, in order).</summary>
    public bool IsIn(IReadOnlyList<string> field)
    {
        for (var start = 0; start + Words.Count <= field.Count; start++)
        {
            var all = true;
            for (var i = 0; i < Words.Count && all; i++)
            {
                var last = i == Words.Count - 1;
                all = last && Prefix
                    ? field[start + i].StartsWith(Words[i], StringComparison.Ordinal)
                    : field[start + i] == Words[i];
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => (Words.Count == 1 ? Words[0] : $"\"{string.Join(' ', Words)}\"") + (Prefix ? "*" : "");
}
