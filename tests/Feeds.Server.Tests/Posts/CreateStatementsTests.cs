using System.Collections.Concurrent;
using System.Net.Http.Json;
using Feeds.Data;
using Microsoft.Data.Sqlite;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using SQLitePCL;

namespace Feeds.Server.Tests.Posts;

/// <summary>
/// On SQLite, a create runs statements the writer connection compiled once, not statements compiled for it. SQLite asks a
/// connection's authorizer about each table a statement uses while it compiles the statement, never while it runs it:
/// what the authorizer hears during a create is what that create compiled.
/// </summary>
public sealed class CreateStatementsTests
{
    /// <summary>
    /// What compiling the statements of a create (with an idempotency key, tags and a subscriber) asks; a column where
    /// one statement alone reads it (the look-up of other posts of the link), else any column of the table.
    /// </summary>
    private static readonly (int Action, string Table, string? Column)[] CreateStatements =
    [
        (raw.SQLITE_READ, "idempotency_keys", null),
        (raw.SQLITE_INSERT, "posts", null),
        (raw.SQLITE_READ, "posts", "link_key"),
        (raw.SQLITE_READ, "tag_aliases", null),
        (raw.SQLITE_INSERT, "tags", null),
        (raw.SQLITE_INSERT, "post_tags", null),
        (raw.SQLITE_INSERT, "idempotency_keys", null),
        (raw.SQLITE_INSERT, "feed_marks", null),
        (raw.SQLITE_READ, "webhook_endpoint_events", null),
        (raw.SQLITE_INSERT, "webhook_messages", null),
        (raw.SQLITE_INSERT, "search_docs", null),
    ];

    [Fact]
    public async Task Creates_after_the_first_compile_none_of_their_statements()
    {
        using var server = new FeedsServer(settings: Webhooks.Webhooks.FastSettings(s => s["Feeds:Database:Provider"] = "Sqlite"));
        using var author = server.CreateAuthorizedClient();
        var (endpoint, _) = await author.SubscribeAsync("http://127.0.0.1:9/hooks");
        // A disabled endpoint still gets its messages, and nothing tries to deliver them meanwhile.
        (await author.PatchAsJsonAsync($"/api/webhooks/{endpoint}", new { enabled = false })).EnsureSuccessStatusCode();

        var database = server.Services.GetRequiredService<Database>();
        var compiled = new ConcurrentQueue<(int Action, string? Table, string? Column)>();
        strdelegate_authorizer listen = (_, action, table, column, _, _) =>
        {
            compiled.Enqueue((action, table, column));
            return raw.SQLITE_OK;
        };

        // Setting an authorizer also expires the connection's statements, so the first create compiles all of its own.
        var writer = await database.WriteAsync((connection, _) =>
        {
            raw.sqlite3_set_authorizer(((SqliteConnection)connection).Handle, listen, null);
            return Task.FromResult(((SqliteConnection)connection).Handle);
        }, default);
        await CreateAsync(author, "first");
        var first = Drain(compiled);
        await CreateAsync(author, "second");
        var second = Drain(compiled);
        var after = await database.WriteAsync((connection, _) =>
        {
            raw.sqlite3_set_authorizer(((SqliteConnection)connection).Handle, (strdelegate_authorizer?)null, null);
            return Task.FromResult(((SqliteConnection)connection).Handle);
        }, default);

        // Both creates ran on the connection the authorizer listened to.
        Assert.Same(writer, after);
        Assert.All(CreateStatements, statement => Assert.True(Asks(first, statement), $"the first create compiled nothing for {statement}"));
        Assert.All(CreateStatements, statement => Assert.False(Asks(second, statement), $"the second create compiled again for {statement}"));
    }

    private static async Task CreateAsync(HttpClient author, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts")
        {
            Content = JsonContent.Create(Infrastructure.Posts.Valid($"The {name} post", $"{name}-a", $"{name}-b")),
            Headers = { { "Idempotency-Key", $"create-{name}" } },
        };
        var response = await author.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    private static bool Asks(List<(int Action, string? Table, string? Column)> compiled, (int Action, string Table, string? Column) statement) =>
        compiled.Any(c => c.Action == statement.Action && c.Table == statement.Table && (statement.Column is null || c.Column == statement.Column));

    private static List<(int Action, string? Table, string? Column)> Drain(ConcurrentQueue<(int Action, string? Table, string? Column)> compiled)
    {
        var drained = new List<(int, string?, string?)>();
        while (compiled.TryDequeue(out var next))
        {
            drained.Add(next);
        }

        return drained;
    }
}
