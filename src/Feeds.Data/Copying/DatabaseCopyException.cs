namespace Feeds.Data.Copying;

/// <summary>A copy refused before it wrote anything, with the reason an operator can act on.</summary>
public sealed class DatabaseCopyException(string message) : Exception(message);
