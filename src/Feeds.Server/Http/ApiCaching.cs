using System.Globalization;
using System.Data;
using Feeds.Data.Posts;
using Microsoft.Extensions.Primitives;

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

    /// <summary>
    /// A number every committed post write on this node bumps, and every render another node is heard to commit
    /// (<see cref="Publishing.FeedChangeListener"/>: public content changed there); with a change token for those who
    /// follow it.
    /// </summary>
    public sealed class ContentVersion : IPostChangeHook, IDisposable
    {
        private long _version;
        private CancellationTokenSource _changed = new();

        public string Current => Interlocked.Read(ref _version).ToString(CultureInfo.InvariantCulture);

        /// <summary>A token that fires at the next change (<c>ChangeToken.OnChange(version.Watch, …)</c> follows every one).</summary>
        public IChangeToken Watch() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

        public Task OnChangedAsync(IReadOnlyList<PostChange> changes, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public void AfterCommit(IReadOnlyList<PostChange> changes) => Bump();

        /// <summary>Content changed where this node's post writes do not see it.</summary>
        public void Bump()
        {
            Interlocked.Increment(ref _version);
            // Not disposed: a concurrent Watch may still be taking the old source's token, which a disposed source
            // refuses; a source without a timer holds nothing that needs disposing.
            Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
        }

        public void Dispose() => _changed.Dispose();
    }
}
