using System.Xml.Linq;
using Feeds.Data.Authors;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Feeds.Server.Desk;

/// <summary>Data Protection's key ring in the database (<see cref="SessionKeyStore"/>), shared by every node.</summary>
/// <remarks>The interface is synchronous; the ring is read at start and when it changes, never per request.</remarks>
public sealed class DatabaseKeyRepository(SessionKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.ListAsync(CancellationToken.None).GetAwaiter().GetResult().Select(XElement.Parse)];

    public void StoreElement(XElement element, string friendlyName) =>
        store.AddAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None).GetAwaiter().GetResult();
}
