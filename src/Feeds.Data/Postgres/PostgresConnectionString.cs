using System.Data.Common;
using Npgsql;

namespace Feeds.Data.Postgres;

/// <summary>
/// The service's defaults for a PostgreSQL connection string, for every connection it opens: its own and Quartz's job
/// store's. A setting the operator names is kept as given.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>
    /// <paramref name="connectionString"/> with <c>GSS Encryption Mode=Disable</c> unless it names the setting. Npgsql 10
    /// tries GSS (Kerberos) encryption first by default: in a container without Kerberos libraries, which .NET's own
    /// images are, each new connection then prints a library-loading error and throws inside Npgsql, and a server that
    /// knows GSSAPI logs a refused security context for each. A site that does use Kerberos names the setting.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        try
        {
            var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("GssEncryptionMode", StringComparison.OrdinalIgnoreCase))
                ? connectionString
                : new NpgsqlConnectionStringBuilder(connectionString) { GssEncryptionMode = GssEncryptionMode.Disable }.ConnectionString;
        }
        catch (ArgumentException)
        {
            // Not a connection string Npgsql takes: left as it is for the settings' validation to refuse, naming the setting.
            return connectionString;
        }
    }
}
