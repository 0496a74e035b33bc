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
    /// <paramref name="connectionString"/> with the service's defaults for the settings it does not name:
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare=64</c>: the statements run often are prepared on each physical connection once they
    /// have been used a few times (Npgsql prepares none by default);</item>
    /// <item><c>GSS Encryption Mode=Disable</c>: Npgsql 10 tries GSS (Kerberos) encryption first by default, and in a
    /// container without Kerberos libraries, which .NET's own images are, each new connection then prints a
    /// library-loading error and throws inside Npgsql, and a server that knows GSSAPI logs a refused security context
    /// for each. A site that does use Kerberos names the setting.</item>
    /// <item><c>No Reset On Close=true</c>: by default a connection given back to the pool has its session reset
    /// before its next use, up to seven statements (<c>RESET ALL</c>, <c>UNLISTEN *</c>, <c>CLOSE ALL</c>…) run by
    /// PostgreSQL for every create. The service leaves nothing in a session to reset: it sets no session settings,
    /// takes only transaction-scoped advisory locks, and listens on a connection of its own that never goes back.</item>
    /// </list>
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        try
        {
            var named = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
                .Select(key => key.Replace(" ", "", StringComparison.Ordinal))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!named.Contains(nameof(builder.MaxAutoPrepare)))
            {
                builder.MaxAutoPrepare = 64;
            }

            if (!named.Contains(nameof(builder.GssEncryptionMode)))
            {
                builder.GssEncryptionMode = GssEncryptionMode.Disable;
            }

            if (!named.Contains(nameof(builder.NoResetOnClose)))
            {
                builder.NoResetOnClose = true;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            // Not a connection string Npgsql takes: left as it is for the settings' validation to refuse, naming the setting.
            return connectionString;
        }
    }
}
