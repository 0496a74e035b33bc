using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Feeds.Cli.Commands;

/// <summary>
/// The title a page gives itself: <c>og:title</c>, else <c>&lt;title&gt;</c>. Reads at most 512 KiB within 10 seconds,
/// so a slow or huge page costs little; the caller asks for <c>-t</c> when nothing usable comes back.
/// </summary>
internal static partial class PageTitle
{
    private const int MaxBytes = 512 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // Pages still come in windows-1252, Shift_JIS and friends.
    static PageTitle() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static async Task<string> FetchAsync(CliEnvironment environment, string url, CancellationToken cancellationToken)
    {
        using var http = environment.HttpHandler is { } handler ? new HttpClient(handler(), disposeHandler: true) : new HttpClient();
        http.Timeout = Timeout;
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("feeds-cli", "1.0"));
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(url, $"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var bytes = await ReadPrefixAsync(response, cancellationToken);
            var html = Decode(bytes, response.Content.Headers.ContentType?.CharSet);
            return Find(html) ?? throw Failed(url, "the page has no <title> or og:title");
        }
        catch (HttpRequestException e)
        {
            throw Failed(url, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(url, $"it did not answer within {Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>The title in <paramref name="html"/>, entities decoded and white space collapsed; null when there is none.</summary>
    public static string? Find(string html)
    {
        foreach (Match meta in MetaTag().Matches(html))
        {
            var attributes = Attributes(meta.Value);
            if ((attributes.GetValueOrDefault("property") ?? attributes.GetValueOrDefault("name")) is { } name
                && name.Equals("og:title", StringComparison.OrdinalIgnoreCase)
                && Clean(attributes.GetValueOrDefault("content")) is { Length: > 0 } og)
            {
                return og;
            }
        }

        return TitleElement().Match(html) is { Success: true } title && Clean(title.Groups[1].Value) is { Length: > 0 } text ? text : null;
    }

    private static Dictionary<string, string> Attributes(string tag)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match attribute in Attribute().Matches(tag))
        {
            attributes.TryAdd(attribute.Groups[1].Value, attribute.Groups[3].Success ? attribute.Groups[3].Value
                : attribute.Groups[4].Success ? attribute.Groups[4].Value
                : attribute.Groups[5].Value);
        }

        return attributes;
    }

    private static string? Clean(string? text) =>
        text is null ? null : WhiteSpace().Replace(WebUtility.HtmlDecode(text), " ").Trim();

    private static async Task<byte[]> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return buffer[..read];
    }

    private static string Decode(byte[] bytes, string? headerCharset)
    {
        var charset = headerCharset ?? (MetaCharset().Match(Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 4096))) is { Success: true } m ? m.Groups[1].Value : null);
        Encoding encoding;
        try
        {
            encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"', '\''));
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(bytes);
    }

    private static CliException Failed(string url, string reason) =>
        new(ExitCodes.Usage, $"could not fetch a title for {url} ({reason}); give one with -t.");

    [GeneratedRegex(@"<meta\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex MetaTag();

    [GeneratedRegex(@"<title\b[^>]*>(.*?)</title\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitleElement();

    [GeneratedRegex(@"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(""([^""]*)""|'([^']*)'|([^\s""'>]+))")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
