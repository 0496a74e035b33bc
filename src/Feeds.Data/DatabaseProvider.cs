namespace Feeds.Data;

/// <summary>The engines the stores run on (<c>Feeds:Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the service: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, for more than one node.</summary>
    Postgres,
}
