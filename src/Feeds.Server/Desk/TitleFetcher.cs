using System.Text;
using Feeds.Core.Parsing;
using Feeds.Server.Sources;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Desk;

/// <summary>
/// The title of the page a link leads to, for a compose form left without one: fetched through the same SSRF-safe
/// client, redirects followed hop by hop, that polls sources, and given up after <see cref="DeskOptions.TitleFetchTimeout"/>.
/// </summary>
public sealed class TitleFetcher(SourceFetcher fetcher, IOptions<DeskOptions> options)
{
    /// <summary>Titles sit in a page's head: reading further would only cost time.</summary>
    private const int MaxBytesRead = 512 * 1024;

    static TitleFetcher() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The page's <c>og:title</c> or <c>&lt;title&gt;</c>; null when the page has none, cannot be read, or is too slow.</summary>
    public async Task<string?> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TitleFetchTimeout);
        try
        {
            using var fetched = await fetcher.FetchAsync(uri, etag: null, lastModified: null, timeout.Token);
            if (fetched.Outcome != FetchOutcome.Modified || fetched.Body is not { } body || !IsHtml(fetched.ContentType))
            {
                return null;
            }

            var span = body.Span;
            return PageTitles.Find(EncodingOf(fetched.ContentType).GetString(span[..Math.Min(span.Length, MaxBytesRead)]));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static bool IsHtml(string? contentType) =>
        contentType is null || contentType.Contains("html", StringComparison.OrdinalIgnoreCase);

    private static Encoding EncodingOf(string? contentType)
    {
        var charset = contentType?.Split(';').Select(p => p.Trim())
            .FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?["charset=".Length..].Trim('"', ' ');
        try
        {
            return charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
