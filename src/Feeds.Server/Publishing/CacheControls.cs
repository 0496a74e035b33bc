using System.Globalization;

namespace Feeds.Server.Publishing;

/// <summary>The Cache-Control value per max-age, built once.</summary>
internal static class CacheControls
{
    private static string? _value;
    private static int _maxAge = -1;

    public static string For(int maxAge)
    {
        if (maxAge != _maxAge)
        {
            _value = $"public, max-age={maxAge.ToString(CultureInfo.InvariantCulture)}";
            _maxAge = maxAge;
        }

        return _value!;
    }
}
