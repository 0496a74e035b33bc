using System.Net.Sockets;

namespace Feeds.Outbound;

/// <summary>The outcome of vetting a URL: the parsed URL, or a message saying what is wrong with it.</summary>
public sealed record OutboundUrlCheck(Uri? Url, string? Problem)
{
    public bool IsAcceptable => Problem is null;
}

/// <summary>
/// Vets a URL a user registers (a webhook endpoint, a feed source) so mistakes and SSRF attempts are
/// refused with a message at the door. The connect-time check in <see cref="OutboundHttp"/> still
/// applies to every request, since what a name resolves to can change after registration.
/// </summary>
public static class OutboundUrl
{
    /// <summary>Checks <paramref name="url"/>; problems are sentences meant for the person who typed it.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<OutboundUrlCheck> CheckAsync(string? url, OutboundOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problem = CheckSyntax(url, options, out var uri);
        if (problem is not null)
        {
            return new OutboundUrlCheck(null, problem);
        }

        var host = uri!.IdnHost;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        IReadOnlyList<AddressVerdict> verdicts;
        try
        {
            verdicts = await OutboundResolver.ResolveAsync(host, options.AllowPrivateNetworks, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused($"The host name {uri.Host} could not be resolved in time; try again later.");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TryAgain)
        {
            return Refused($"The host name {uri.Host} could not be resolved right now (temporary DNS failure); try again later.");
        }
        catch (SocketException)
        {
            return Refused($"The host name {uri.Host} does not resolve to any address.");
        }
        catch (BlockedAddressException ex)
        {
            return Refused(ex.Message);
        }

        // One blocked address is enough to refuse: a name that mixes public and internal addresses is
        // either misconfigured or probing, and the request would fail on whichever address it hit.
        var blocked = verdicts.FirstOrDefault(v => !v.IsAllowed);
        if (blocked is not null)
        {
            return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
                ? Refused($"The URL points to {blocked.Reason}; requests there are not allowed.")
                : Refused($"The host name {uri.Host} resolves to {blocked.Address}, and {blocked.Reason}; requests there are not allowed.");
        }

        return new OutboundUrlCheck(uri, null);
    }

    private static string? CheckSyntax(string? url, OutboundOptions options, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return "A URL is required.";
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed))
        {
            return "This is not a valid absolute URL; it should look like https://example.com/path.";
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return options.HttpsOnly
                ? $"The URL must start with https://, not {parsed.Scheme}:."
                : $"The URL must start with http:// or https://, not {parsed.Scheme}:.";
        }

        if (options.HttpsOnly && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return "The URL must use https://; plain http is not allowed on this server.";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "The URL must not contain a user name or password (the part before @).";
        }

        if (parsed.Host.Length == 0)
        {
            return "The URL must name a host.";
        }

        if (options.AllowedPorts.Problem(parsed.Port) is { } portProblem)
        {
            return portProblem;
        }

        uri = parsed;
        return null;
    }

    private static OutboundUrlCheck Refused(string problem) => new(null, problem);
}
