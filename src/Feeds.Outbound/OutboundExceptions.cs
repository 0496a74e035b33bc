namespace Feeds.Outbound;

/// <summary>A request the outbound policy refused before any connection was opened.</summary>
public abstract class OutboundPolicyException : Exception
{
    protected OutboundPolicyException(string message)
        : base(message)
    {
    }
}

/// <summary>Every address the host resolved to is one the service may not connect to.</summary>
public sealed class BlockedAddressException : OutboundPolicyException
{
    public BlockedAddressException(string host, IReadOnlyList<AddressVerdict> verdicts)
        : base(Describe(host, verdicts))
    {
        Host = host;
        Verdicts = verdicts;
    }

    public string Host { get; }

    public IReadOnlyList<AddressVerdict> Verdicts { get; }

    private static string Describe(string host, IReadOnlyList<AddressVerdict> verdicts) =>
        verdicts.Count switch
        {
            0 => $"{host} is not an address requests may be sent to.",
            1 when verdicts[0].Address.ToString() == host => $"{verdicts[0].Reason}; requests there are not allowed.",
            _ => $"{host} resolves only to addresses requests may not be sent to: {string.Join("; ", verdicts.Select(v => v.Reason))}.",
        };
}

/// <summary>A request to a port outside <see cref="OutboundOptions.AllowedPorts"/>; refused before the name is resolved.</summary>
public sealed class BlockedPortException : OutboundPolicyException
{
    public BlockedPortException(string host, int port, OutboundPorts allowed)
        : base($"The request to {host} was refused: {allowed.Problem(port)}")
    {
        Port = port;
    }

    public int Port { get; }
}

/// <summary>A plain http request while <see cref="OutboundOptions.HttpsOnly"/> is on.</summary>
public sealed class HttpsRequiredException : OutboundPolicyException
{
    public HttpsRequiredException(Uri uri)
        : base($"Only https URLs are allowed, not {uri.Scheme}://{uri.Authority}.")
    {
    }
}

/// <summary>A response body longer than the reader's limit; thrown once the limit is passed, not after reading everything.</summary>
public sealed class ResponseTooLargeException : IOException
{
    public ResponseTooLargeException(long limit, long? declaredLength)
        : base(declaredLength is { } declared
            ? $"The response declares {declared} bytes, more than the limit of {limit} bytes."
            : $"The response is longer than the limit of {limit} bytes.")
    {
        Limit = limit;
        DeclaredLength = declaredLength;
    }

    public long Limit { get; }

    /// <summary>The Content-Length when it alone exceeded the limit; null when the bytes were counted.</summary>
    public long? DeclaredLength { get; }
}
