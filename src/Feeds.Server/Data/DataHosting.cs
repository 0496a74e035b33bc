using Feeds.Data;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Data;

public static class DataHosting
{
    /// <summary>The SQLite database, migrated by the first start-up step, and its health check.</summary>
    public static IHostApplicationBuilder AddFeedsData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new Database(
            Path.Combine(sp.GetRequiredService<IOptions<FeedsOptions>>().Value.DataDirectory, "feeds.db")));
        builder.AddStartupStep("database", (services, cancellationToken) => services.GetRequiredService<Database>().InitializeAsync(cancellationToken));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }
}
