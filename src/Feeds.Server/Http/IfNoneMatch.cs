using Microsoft.Extensions.Primitives;

namespace Feeds.Server.Http;

/// <summary>
/// <c>If-None-Match</c> by the weak comparison RFC 9110 (section 13.1.2) asks of it, since readers echo <c>W/"…"</c>
/// as readily as <c>"…"</c>. Every feed request may carry one, so the header is read in place, without allocating.
/// </summary>
public static class IfNoneMatch
{
    /// <summary>Whether <paramref name="header"/> lists <c>*</c> or any of <paramref name="etags"/>, a <c>W/</c> prefix aside.</summary>
    public static bool Matches(StringValues header, params ReadOnlySpan<string> etags)
    {
        foreach (var value in header)
        {
            var text = (value ?? string.Empty).AsSpan();
            foreach (var range in text.Split(','))
            {
                var candidate = text[range].Trim();
                var opaque = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
                if (opaque is "*")
                {
                    return true;
                }

                foreach (var etag in etags)
                {
                    if (opaque.Equals(etag, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
