using Feeds.Data.Tags;

namespace Feeds.Server.Tags;

public static class TagsHosting
{
    public static IHostApplicationBuilder AddFeedsTags(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TagStore>();
        return builder;
    }
}
