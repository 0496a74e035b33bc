using Feeds.Core.Syndication;
using Feeds.Core.Text;
using Feeds.Data.Posts;

namespace Feeds.Server.Desk;

/// <summary>What the desk's post pages need, bound with <c>[AsParameters]</c>.</summary>
public sealed record DeskPostServices(PostStore Posts, PostQueries Queries, FeedComposer Composer, CommentaryRenderer Renderer, TitleFetcher Titles, TimeProvider Clock);
