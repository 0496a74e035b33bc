using Feeds.Server.Hosting;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Feeds.Server.Tests.Hosting;

public sealed class StartupOrderTests
{
    [Fact]
    public void Start_up_steps_run_from_the_database_to_the_feeds_and_their_files_before_the_scheduler_and_the_server_start()
    {
        using var server = new FeedsServer();
        var hosted = server.Services.GetServices<IHostedService>().ToList();

        Assert.Equal(["database", "admin token", "samples", "link keys", "schedules", "search index", "feeds", "feed files", "activitypub"], hosted.OfType<StartupStep>().Select(s => s.Name));
        var lastStep = hosted.FindLastIndex(s => s is StartupStep);
        Assert.True(hosted.FindIndex(s => s is QuartzHostedService) > lastStep, "the scheduler starts after every step");
        Assert.True(hosted.FindIndex(s => s.GetType().Name == "GenericWebHostService") > lastStep, "the server starts after every step");
        Assert.True(hosted.FindIndex(s => s is WebhookDispatcher) > hosted.FindIndex(s => s is StartupStep { Name: "database" }),
            "the webhook dispatcher starts after the database is migrated");
    }
}
