using System.Text.Json;
using Feeds.Contracts.Posts;
using Feeds.Core.Posts;
using Feeds.Data.Posts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Posts;

/// <summary>Loads <c>samples/posts.json</c> into an empty database (<c>--seed-samples</c>).</summary>
public sealed partial class SampleSeeder(PostStore posts, PostQueries queries, TimeProvider clock, IOptions<JsonOptions> json, ILogger<SampleSeeder> logger)
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "samples", "posts.json");

    public async Task<int> SeedIfEmptyAsync(string path, CancellationToken cancellationToken)
    {
        var existing = await queries.ListAsync(new PostQuery { Limit = 1 }, cancellationToken);
        if (existing.Posts.Count > 0)
        {
            LogNotEmpty(logger);
            return 0;
        }

        await using var file = File.OpenRead(path);
        var inputs = await JsonSerializer.DeserializeAsync<List<PostInput>>(file, json.Value.SerializerOptions, cancellationToken) ?? [];
        var created = 0;
        foreach (var (input, index) in inputs.Select((input, index) => (input, index)))
        {
            var content = PostRules.Validate(input, clock.GetUtcNow(), out var errors)
                ?? throw new InvalidDataException($"{path}: post {index} is invalid: {string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(' ', e.Value)}"))}");
            await posts.CreateAsync(content, null, cancellationToken);
            created++;
        }

        LogSeeded(logger, created, path);
        return created;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} sample posts from {Path}")]
    private static partial void LogSeeded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not seeding samples: the database already holds posts")]
    private static partial void LogNotEmpty(ILogger logger);
}
