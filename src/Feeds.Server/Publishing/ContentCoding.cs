using System.Globalization;

namespace Feeds.Server.Publishing;

/// <summary>Chooses the precompressed body a request accepts: Brotli, then gzip, else none (RFC 9110 section 12.5.3).</summary>
internal static class ContentCoding
{
    public const string Brotli = "br";
    public const string Gzip = "gzip";

    public static string? Choose(Microsoft.Extensions.Primitives.StringValues acceptEncoding)
    {
        if (acceptEncoding.Count == 0)
        {
            return null;
        }

        double? brotli = null, gzip = null, any = null;
        foreach (var header in acceptEncoding)
        {
            var value = (header ?? string.Empty).AsSpan();
            foreach (var range in value.Split(','))
            {
                var item = value[range];
                var semicolon = item.IndexOf(';');
                var coding = (semicolon < 0 ? item : item[..semicolon]).Trim();
                var quality = semicolon < 0 ? 1.0 : Quality(item[(semicolon + 1)..]);
                if (coding.Equals(Brotli, StringComparison.OrdinalIgnoreCase))
                {
                    brotli = quality;
                }
                else if (coding.Equals(Gzip, StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
                {
                    gzip = quality;
                }
                else if (coding is "*")
                {
                    any = quality;
                }
            }
        }

        var br = brotli ?? any ?? 0;
        var gz = gzip ?? any ?? 0;
        return br > 0 && br >= gz ? Brotli : gz > 0 ? Gzip : null;
    }

    /// <summary>The <c>q</c> weight among a coding's parameters (what follows its first ';'), 1 when absent.</summary>
    private static double Quality(ReadOnlySpan<char> parameters)
    {
        var quality = 1.0;
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(parameter[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var q))
            {
                quality = q;
            }
        }

        return quality;
    }
}
