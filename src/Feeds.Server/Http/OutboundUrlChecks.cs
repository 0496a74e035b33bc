using Feeds.Contracts.Posts;
using Feeds.Core.Posts;
using Feeds.Outbound;

namespace Feeds.Server.Http;

/// <summary>Vets a URL the service will send requests to (a webhook endpoint, a followed feed) as a request field.</summary>
public static class OutboundUrlChecks
{
    public const int MaxUrlLength = PostLimits.MaxUrlLength;

    /// <summary>The URL as it will be requested, or null with a problem naming <paramref name="field"/>: length, syntax, scheme and the address it resolves to.</summary>
    public static async Task<Uri?> CheckAsync(string? url, string field, OutboundOptions options, ProblemList problems, CancellationToken cancellationToken)
    {
        if (url is { Length: > MaxUrlLength })
        {
            problems.Add(field, $"must be at most {MaxUrlLength} characters.");
            return null;
        }

        var check = await OutboundUrl.CheckAsync(url, options, cancellationToken);
        if (!check.IsAcceptable)
        {
            problems.Add(field, check.Problem!);
            return null;
        }

        return check.Url;
    }
}
