using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Feeds.Contracts;

/// <summary>
/// A JSON merge patch (RFC 7396) read as a typed body, so that it is read exactly as every other body is: each string
/// decoded (bytes that are not UTF-8 and unpaired surrogate escapes refused), repeated and unknown properties refused,
/// each problem named by its JSON path. Setters record which members the patch names, because a member left out keeps
/// its value while a member given as null removes it. Written, a patch holds the members it names and no others (see
/// <see cref="FeedsJson"/>), so a client builds one with an object initialiser and sends exactly what it set.
/// </summary>
public abstract class MergePatch
{
    private readonly HashSet<string> _given = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the patch names no member, and so changes nothing.</summary>
    [JsonIgnore]
    public bool IsEmpty => _given.Count == 0;

    /// <summary>Whether the patch names <paramref name="property"/> (its member name; the case of the first letter aside, its JSON name).</summary>
    public bool IsGiven(string property) => _given.Contains(property);

    /// <summary>The patch's value of <paramref name="property"/> when the patch names it (null included), else <paramref name="current"/>.</summary>
    protected T Merge<T>(string property, T patched, T current) => _given.Contains(property) ? patched : current;

    /// <summary>For a property's setter: records that the patch names the property and returns the value to keep.</summary>
    protected T Given<T>(T value, [CallerMemberName] string property = "")
    {
        _given.Add(property);
        return value;
    }
}
