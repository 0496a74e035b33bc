namespace Feeds.Outbound.Tests;

/// <summary>
/// A host name no resolver can look up. Tests send nothing off this machine, DNS queries included, and a
/// name like <c>nonexistent.invalid</c> would still be sent to the configured DNS server. A label longer
/// than 63 octets cannot be encoded in a query, so the local resolver fails it without sending one.
/// </summary>
internal static class Unresolvable
{
    public static readonly string Host = new string('x', 64) + ".invalid";
}
