using System.ComponentModel.DataAnnotations;
using Feeds.Data;
using Npgsql;

namespace Feeds.Server.Data;

/// <summary>Where the data lives, section <c>Feeds:Database</c> (environment variables <c>Feeds__Database__Key</c>).</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Feeds:Database";

    /// <summary><c>Sqlite</c> (the default: <c>feeds.db</c> in the data directory) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>With <c>Postgres</c>, the Npgsql connection string of the database (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult($"{Section}:{nameof(Provider)} must be Sqlite or Postgres.", [nameof(Provider)]);
        }
        else if (Provider == DatabaseProvider.Sqlite && !string.IsNullOrEmpty(ConnectionString))
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ConnectionString)} is for Postgres; SQLite keeps feeds.db in Feeds:DataDirectory.", [nameof(ConnectionString)]);
        }
        else if (Provider == DatabaseProvider.Postgres && ConnectionStringProblem(ConnectionString) is { } problem)
        {
            yield return new ValidationResult($"{Section}:{nameof(ConnectionString)} {problem}", [nameof(ConnectionString)]);
        }
    }

    private static string? ConnectionStringProblem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "must name the PostgreSQL database when the provider is Postgres.";
        }

        try
        {
            return string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(connectionString).Host)
                ? "must name the server (Host=…)."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"is not a valid Npgsql connection string: {e.Message}";
        }
    }
}
