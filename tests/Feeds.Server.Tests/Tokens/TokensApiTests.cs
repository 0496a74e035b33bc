using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Dapper;

namespace Feeds.Server.Tests.Tokens;

public sealed class TokensApiTests : IDisposable
{
    private readonly FeedsServer _server = new();
    private readonly HttpClient _admin;

    public TokensApiTests() => _admin = _server.CreateAuthorizedClient();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_created_token_writes_until_it_is_revoked()
    {
        var created = await (await _admin.PostAsJsonAsync("/api/tokens", new { name = "laptop" })).ReadJsonAsync();
        var token = created.GetProperty("token").GetString()!;
        using var laptop = _server.CreateAuthorizedClient(token);

        Assert.Equal(HttpStatusCode.Created, (await laptop.PostAsJsonAsync("/api/posts", Infrastructure.Posts.Valid())).StatusCode);

        var revoke = await _admin.DeleteAsync($"/api/tokens/{created.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await (await laptop.PostAsJsonAsync("/api/posts", Infrastructure.Posts.Valid())).AssertProblemAsync(401);
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes_and_never_listed()
    {
        var created = await (await _admin.PostAsJsonAsync("/api/tokens", new { name = "ci" })).ReadJsonAsync();
        var token = created.GetProperty("token").GetString()!;

        var listed = await _admin.GetStringAsync("/api/tokens");
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
        Assert.Contains("\"ci\"", listed, StringComparison.Ordinal);

        await using var connection = await TestDatabase.OpenAsync(_server.DataDirectory);
        var stored = string.Join('|', await connection.QueryAsync<string>("select token_hash || name from api_tokens"));
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(token["feeds_".Length..], stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_management_needs_a_token()
    {
        await (await _server.CreateClient().GetAsync("/api/tokens")).AssertProblemAsync(401);
        await (await _server.CreateClient().PostAsJsonAsync("/api/tokens", new { name = "x" })).AssertProblemAsync(401);
    }

    [Fact]
    public async Task A_token_needs_a_name()
    {
        var problem = await (await _admin.PostAsJsonAsync("/api/tokens", new { name = " " })).AssertProblemAsync(400);
        Assert.Equal(["name"], problem.ErrorFields());
    }

    [Fact]
    public async Task Revoking_an_unknown_token_is_404() =>
        await (await _admin.DeleteAsync($"/api/tokens/{Guid.NewGuid()}")).AssertProblemAsync(404);
}
