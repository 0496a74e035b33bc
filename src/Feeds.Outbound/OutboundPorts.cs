using System.Globalization;

namespace Feeds.Outbound;

/// <summary>
/// The TCP ports requests to user-supplied URLs may go to. A public host answers on more than its web server
/// (SSH on 22, SMTP on 25, Redis on 6379…), and a webhook or feed URL must not become a way to talk to those, so
/// by default only the web ports 80 and 443 and the unprivileged ports (1024 and up, where web servers on other
/// ports live) are open. Judged beside <see cref="AddressPolicy"/>: at registration and at every connect.
/// </summary>
public sealed class OutboundPorts
{
    /// <summary>The default list, in the form settings are written.</summary>
    public const string DefaultList = "80, 443, 1024-65535";

    private readonly (int From, int To)[] _ranges;

    private OutboundPorts((int From, int To)[] ranges, string text)
    {
        _ranges = ranges;
        Text = text;
    }

    public static OutboundPorts Default { get; } = Parse(DefaultList);

    /// <summary>The list as it was written, for messages.</summary>
    public string Text { get; }

    public bool Allows(int port)
    {
        foreach (var (from, to) in _ranges)
        {
            if (port >= from && port <= to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why a request to <paramref name="port"/> is refused, in words for the person who typed the URL; null when it is allowed.</summary>
    public string? Problem(int port) =>
        Allows(port) ? null : $"Port {port} is not one requests may be sent to on this server (allowed: {Text}).";

    /// <exception cref="FormatException"><paramref name="text"/> is not a list of ports and ranges.</exception>
    public static OutboundPorts Parse(string text) =>
        TryParse(text, out var ports, out var problem) ? ports : throw new FormatException(problem);

    /// <summary>Reads a comma-separated list of ports (<c>443</c>) and ranges (<c>1024-65535</c>), each within 1–65535.</summary>
    public static bool TryParse(string? text, out OutboundPorts ports, out string? problem)
    {
        ports = Default;
        var ranges = new List<(int, int)>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length > 2 || !TryPort(bounds[0], out var from) || !TryPort(bounds[^1], out var to) || from > to)
            {
                problem = $"has '{part}', which is not a port (1-65535) or a range of ports such as 1024-65535.";
                return false;
            }

            ranges.Add((from, to));
        }

        if (ranges.Count == 0)
        {
            problem = "must list at least one port or range, such as \"80, 443, 1024-65535\".";
            return false;
        }

        ports = new OutboundPorts([.. ranges], string.Join(", ", ranges.Select(r => r.Item1 == r.Item2 ? $"{r.Item1}" : $"{r.Item1}-{r.Item2}")));
        problem = null;
        return true;
    }

    public override string ToString() => Text;

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
