using Feeds.Data.Posts;
using Feeds.Server.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Posts;

/// <summary>What the post handlers need besides the request itself, bound with <c>[AsParameters]</c>.</summary>
public sealed class PostServices(PostStore posts, IOptions<FeedsOptions> site, TimeProvider clock, IOptions<JsonOptions> json)
{
    public PostStore Posts { get; } = posts;

    public FeedsOptions Site => site.Value;

    public TimeProvider Clock { get; } = clock;

    /// <summary>The options request bodies were read with, so a body's hash is that of what was understood.</summary>
    public System.Text.Json.JsonSerializerOptions Json => json.Value.SerializerOptions;
}
