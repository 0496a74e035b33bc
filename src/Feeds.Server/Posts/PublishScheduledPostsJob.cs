using Feeds.Data.Posts;
using Quartz;

namespace Feeds.Server.Posts;

/// <summary>
/// Publishes every scheduled post whose time has come; fired by one trigger per scheduled post and a sweep. Idempotent:
/// a post is published by the one transaction that finds it still scheduled.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PublishScheduledPostsJob(PostStore posts) : IJob
{
    public static readonly JobKey Key = new("publish-scheduled-posts", "posts");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await posts.PublishDueAsync(cancellationToken);
}
