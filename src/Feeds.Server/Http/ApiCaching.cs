using System.Globalization;
using System.Data;
using Feeds.Data.Posts;

namespace Feeds.Server.Http;

/// <summary>
/// Anonymous API reads are answered from the output cache. Entries are keyed by a content version that every
/// committed post write bumps, so a read racing a write can only ever store an answer no one will ask for again.
/// </summary>
public static class ApiCaching
{
    public const string Policy = "api-reads";

    public static IHostApplicationBuilder AddFeedsApiCaching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ContentVersion>();
        builder.Services.AddSingleton<IPostChangeHook>(sp => sp.GetRequiredService<ContentVersion>());
        builder.Services.AddOutputCache(options => options.AddPolicy(Policy, policy => policy
            .Expire(TimeSpan.FromMinutes(1))
            .SetVaryByQuery("*")
            // Permalinks answer ActivityStreams clients with the post as a note.
            .SetVaryByHeader("Accept")
            .VaryByValue(context => KeyValuePair.Create("v", context.RequestServices.GetRequiredService<ContentVersion>().Current))));
        return builder;
    }

    public sealed class ContentVersion : IPostChangeHook
    {
        private long _version;

        public string Current => Interlocked.Read(ref _version).ToString(CultureInfo.InvariantCulture);

        public Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public void AfterCommit(IReadOnlyList<PostChange> changes) => Interlocked.Increment(ref _version);
    }
}
