using Feeds.Data;
using Feeds.Data.Copying;
using Feeds.Data.Postgres;
using Feeds.Data.Sqlite;
using Feeds.Server.Hosting;

namespace Feeds.Server.Data;

/// <summary>
/// <c>Feeds.Server copy-from-sqlite [file]</c>: copies a SQLite database (by default <c>feeds.db</c> in
/// <c>Feeds:DataDirectory</c>) into the empty PostgreSQL database <c>Feeds:Database</c> configures, then exits. It reads
/// the settings the service itself would: <c>appsettings.json</c>, environment variables, <c>--Key value</c> switches.
/// </summary>
public static class CopyFromSqliteCommand
{
    public const string Name = "copy-from-sqlite";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var file = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(file is null ? args : args[1..])
            .Build();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider != DatabaseProvider.Postgres || string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            await errors.WriteLineAsync(
                $"{Name}: set {DatabaseOptions.Section}:Provider to Postgres and {DatabaseOptions.Section}:ConnectionString to the database to copy into");
            return 2;
        }

        file ??= Path.Combine(configuration[$"{FeedsOptions.Section}:{nameof(FeedsOptions.DataDirectory)}"] ?? new FeedsOptions().DataDirectory, "feeds.db");
        using var source = new SqliteDatabase(file);
        using var target = new PostgresDatabase(database.ConnectionString);
        try
        {
            foreach (var table in await SqliteToPostgresCopy.CopyAsync(source, target, CancellationToken.None))
            {
                await output.WriteLineAsync($"{table.Table}: {table.Rows} rows");
            }
        }
        catch (DatabaseCopyException e)
        {
            await errors.WriteLineAsync($"{Name}: nothing copied: {e.Message}");
            return 1;
        }

        await output.WriteLineAsync($"copied {source.Path} into PostgreSQL; start the service with {DatabaseOptions.Section}:Provider=Postgres");
        return 0;
    }
}
