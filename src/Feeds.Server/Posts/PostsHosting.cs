using Feeds.Core.Text;
using Feeds.Data.Posts;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace Feeds.Server.Posts;

public static class PostsHosting
{
    /// <summary>
    /// The post store, its renderer and change hooks, the sample seeder and scheduled publishing, with their start-up
    /// steps: the samples when asked for, links put into normal form, then a trigger for every scheduled post.
    /// </summary>
    public static IHostApplicationBuilder AddFeedsPosts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CommentaryRenderer>();
        builder.Services.AddSingleton<PostChangeHooks>();
        builder.Services.AddSingleton<PostStore>();
        builder.Services.AddSingleton<PostQueries>();
        builder.Services.AddSingleton<SampleSeeder>();
        builder.AddStartupStep("samples", SeedSamplesAsync);
        // Posts stored before links were kept in normal form get theirs, so the desk finds every earlier post of a link,
        // and posts stored before sites were kept get the site they link to, for the site's page and feeds.
        builder.AddStartupStep("link keys", (services, cancellationToken) =>
            services.GetRequiredService<PostStore>().FillLinkKeysAsync(cancellationToken));

        builder.Services.AddSingleton<ScheduledPublishing>();
        builder.Services.AddSingleton<IPostChangeHook>(sp => sp.GetRequiredService<ScheduledPublishing>());
        builder.Services.AddQuartz(ScheduledPublishing.Configure);
        // The scheduler starts after every start-up step, so a trigger restored here fires no earlier than before.
        builder.AddStartupStep("schedules", (services, cancellationToken) =>
            services.GetRequiredService<ScheduledPublishing>().RestoreAsync(services.GetRequiredService<PostQueries>(), cancellationToken));
        return builder;
    }

    private static async Task SeedSamplesAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IOptions<FeedsOptions>>().Value.SeedSamples)
        {
            await services.GetRequiredService<SampleSeeder>().SeedIfEmptyAsync(SampleSeeder.DefaultPath, cancellationToken);
        }
    }
}
