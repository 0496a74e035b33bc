using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Http;

/// <summary>What <c>/openapi/v1.json</c> tells a client generator: how to authenticate, what can go wrong, what to send.</summary>
public sealed class OpenApiTests(OpenApiTests.Document document) : IClassFixture<OpenApiTests.Document>
{
    private readonly JsonElement _openApi = document.OpenApi;

    public sealed class Document : IAsyncLifetime
    {
        public JsonElement OpenApi { get; private set; }

        public async ValueTask InitializeAsync()
        {
            using var server = new FeedsServer();
            OpenApi = await (await server.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public void The_bearer_scheme_is_declared()
    {
        var schemes = _openApi.GetProperty("components").GetProperty("securitySchemes");
        var bearer = schemes.GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
    }

    [Theory]
    [InlineData("/api/posts", "post")]
    [InlineData("/api/posts/{id}", "patch")]
    [InlineData("/api/posts/batch", "post")]
    [InlineData("/api/tags/{slug}/rename", "post")]
    [InlineData("/api/tokens", "get")]
    [InlineData("/api/sources", "post")]
    [InlineData("/api/webhooks/{id}", "delete")]
    public void Operations_that_need_a_token_require_the_bearer_scheme_and_answer_401(string path, string method)
    {
        var operation = Operation(path, method);
        Assert.Contains(operation.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("Bearer", out _));
        AssertProblem(operation, "401");
    }

    [Theory]
    [InlineData("/api/posts", "get")]
    [InlineData("/api/posts/{id}", "get")]
    public void Reads_that_show_drafts_to_a_token_take_it_as_an_option_and_answer_401(string path, string method)
    {
        var operation = Operation(path, method);
        var security = operation.GetProperty("security").EnumerateArray().ToList();
        Assert.Contains(security, requirement => !requirement.EnumerateObject().Any());
        Assert.Contains(security, requirement => requirement.TryGetProperty("Bearer", out _));
        AssertProblem(operation, "401");
    }

    [Fact]
    public void Reads_of_what_is_public_need_no_token()
    {
        Assert.False(Operation("/api/tags", "get").TryGetProperty("security", out _));
    }

    [Theory]
    [InlineData("/api/posts/{id}", "get", "404")]
    [InlineData("/api/posts/{id}", "put", "404")]
    [InlineData("/api/posts/{id}", "patch", "404")]
    [InlineData("/api/posts/{id}", "delete", "404")]
    [InlineData("/api/tags/{slug}/rename", "post", "404")]
    [InlineData("/api/tokens/{id}", "delete", "404")]
    [InlineData("/api/sources/{id}", "patch", "404")]
    [InlineData("/api/webhooks/{id}/replay", "post", "404")]
    [InlineData("/api/sources", "post", "409")]
    [InlineData("/api/sources/{id}", "patch", "409")]
    [InlineData("/api/posts", "post", "422")]
    [InlineData("/api/posts", "post", "413")]
    [InlineData("/api/posts/{id}", "patch", "413")]
    [InlineData("/api/sources/import", "post", "413")]
    public void Each_operation_declares_the_problems_it_answers(string path, string method, string status) =>
        AssertProblem(Operation(path, method), status);

    [Fact]
    public void Operations_without_a_body_declare_no_413()
    {
        Assert.False(Operation("/api/posts/{id}", "delete").GetProperty("responses").TryGetProperty("413", out _));
    }

    [Fact]
    public void The_post_merge_patch_is_a_post_with_every_field_optional_and_null_to_remove_it()
    {
        var body = Operation("/api/posts/{id}", "patch").GetProperty("requestBody").GetProperty("content");
        var schema = Resolve(body.GetProperty("application/merge-patch+json").GetProperty("schema"));

        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.False(schema.TryGetProperty("required", out var required) && required.GetArrayLength() > 0, "a merge patch requires no field");
        var properties = schema.GetProperty("properties");
        Assert.Equal(
            ["commentary", "publishAt", "status", "tags", "title", "url", "via"],
            properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var property in properties.EnumerateObject())
        {
            Assert.True(AllowsNull(property.Value), $"{property.Name} cannot be null, which removes it");
        }

        Assert.Equal("array", TypeOf(properties.GetProperty("tags")));
        var via = Resolve(NonNull(properties.GetProperty("via")));
        Assert.Equal(["title", "url"], via.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    private JsonElement Operation(string path, string method) =>
        _openApi.GetProperty("paths").GetProperty(path).GetProperty(method);

    private void AssertProblem(JsonElement operation, string status)
    {
        Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var response), $"no {status} declared");
        var schema = Resolve(response.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema"));
        Assert.True(schema.GetProperty("properties").TryGetProperty("title", out _), $"the {status} is not problem details");
    }

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = _openApi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
        }

        return schema;
    }

    private bool AllowsNull(JsonElement schema) =>
        schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices)
            ? choices.EnumerateArray().Any(AllowsNull)
            : Resolve(schema) is var resolved && resolved.TryGetProperty("type", out var type)
                && (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => t.GetString() == "null") : type.GetString() == "null");

    private static JsonElement NonNull(JsonElement schema) =>
        schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices)
            ? choices.EnumerateArray().First(c => !(c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"))
            : schema;

    private string? TypeOf(JsonElement schema)
    {
        var type = Resolve(NonNull(schema)).GetProperty("type");
        return type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).First(t => t != "null") : type.GetString();
    }
}
