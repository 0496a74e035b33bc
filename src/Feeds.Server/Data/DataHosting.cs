using Feeds.Data;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Data;

public static class DataHosting
{
    /// <summary>The database (SQLite by default, or PostgreSQL), migrated by the first start-up step, and its health check.</summary>
    public static IHostApplicationBuilder AddFeedsData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return Database.Create(options.Provider, options.Provider switch
            {
                DatabaseProvider.Postgres => options.ConnectionString!,
                _ => Path.Combine(sp.GetRequiredService<IOptions<FeedsOptions>>().Value.DataDirectory, "feeds.db"),
            });
        });
        builder.AddStartupStep("database", (services, cancellationToken) => services.GetRequiredService<Database>().InitializeAsync(cancellationToken));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }
}
