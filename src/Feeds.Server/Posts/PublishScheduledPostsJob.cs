using Feeds.Data.Posts;
using Quartz;

namespace Feeds.Server.Posts;

/// <summary>
/// Publishes every scheduled post whose time has come; fired by one trigger per scheduled post and a sweep. Idempotent:
/// a post is published by the one transaction that finds it still scheduled, so runs may overlap, here or on another
/// node. They are allowed to: a job that disallowed it had its every other trigger blocked in the clustered store while
/// one run went on, and a node killed in that run left them blocked, the survivor publishing nothing for 20 s and more.
/// </summary>
public sealed class PublishScheduledPostsJob(PostStore posts) : IJob
{
    public static readonly JobKey Key = new("publish-scheduled-posts", "posts");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await posts.PublishDueAsync(cancellationToken);
}
