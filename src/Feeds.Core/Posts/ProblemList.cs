namespace Feeds.Core.Posts;

/// <summary>Validation problems keyed by field, in the shape of RFC 9457 <c>errors</c>.</summary>
public sealed class ProblemList
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _byField.Count == 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            _byField[field] = messages = [];
        }

        messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
