using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Feeds.Contracts.ActivityPub;
using Feeds.Contracts.Posts;
using Feeds.Contracts.Problems;
using Feeds.Contracts.Sources;
using Feeds.Contracts.Tags;
using Feeds.Contracts.Tokens;
using Feeds.Contracts.Webhooks;
using Feeds.Contracts.WebSub;

namespace Feeds.Cli.Api;

/// <summary>
/// The server's HTTP API, and nothing else: each call either returns the server's answer as its contract record or throws a
/// <see cref="CliException"/> whose exit code says what went wrong (see <see cref="ExitCodes"/>).
/// </summary>
public sealed class FeedsClient : IDisposable
{
    private const string MergePatchMediaType = "application/merge-patch+json";

    private readonly HttpClient _http;

    public FeedsClient(Connection connection, CliEnvironment environment)
    {
        Connection = connection;
        _http = environment.HttpHandler is { } handler ? new HttpClient(handler(), disposeHandler: true) : new HttpClient();
        _http.BaseAddress = connection.Server;
        _http.Timeout = TimeSpan.FromMinutes(2);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("feeds-cli", typeof(FeedsClient).Assembly.GetName().Version?.ToString(3)));
        if (connection.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        }
    }

    public Connection Connection { get; }

    public Task<PostResponse> CreatePostAsync(PostInput post, CancellationToken cancellationToken) =>
        SendAsync<PostResponse>(HttpMethod.Post, "api/posts", Body(post), cancellationToken);

    public Task<PostResponse> GetPostAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<PostResponse>(HttpMethod.Get, $"api/posts/{id}", null, cancellationToken);

    public Task<PostResponse> PatchPostAsync(string id, PostPatch patch, CancellationToken cancellationToken) =>
        SendAsync<PostResponse>(HttpMethod.Patch, $"api/posts/{id}", Body(patch, MergePatchMediaType), cancellationToken);

    public Task DeletePostAsync(string id, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, $"api/posts/{id}", cancellationToken);

    /// <summary>A page of posts; <paramref name="query"/> is the query string without its question mark.</summary>
    public Task<PostListResponse> ListPostsAsync(string query, CancellationToken cancellationToken) =>
        SendAsync<PostListResponse>(HttpMethod.Get, $"api/posts?{query}", null, cancellationToken);

    public Task<PostBatchResponse> ImportPostsAsync(PostBatchRequest batch, CancellationToken cancellationToken) =>
        SendAsync<PostBatchResponse>(HttpMethod.Post, "api/posts/batch", Body(batch), cancellationToken);

    public Task<TagResponse[]> ListTagsAsync(CancellationToken cancellationToken) =>
        SendAsync<TagResponse[]>(HttpMethod.Get, "api/tags", null, cancellationToken);

    public Task<RenameTagResponse> RenameTagAsync(string slug, RenameTagRequest rename, CancellationToken cancellationToken) =>
        SendAsync<RenameTagResponse>(HttpMethod.Post, $"api/tags/{Uri.EscapeDataString(slug)}/rename", Body(rename), cancellationToken);

    public Task<CreatedTokenResponse> CreateTokenAsync(CreateTokenRequest token, CancellationToken cancellationToken) =>
        SendAsync<CreatedTokenResponse>(HttpMethod.Post, "api/tokens", Body(token), cancellationToken);

    public Task<TokenResponse[]> ListTokensAsync(CancellationToken cancellationToken) =>
        SendAsync<TokenResponse[]>(HttpMethod.Get, "api/tokens", null, cancellationToken);

    public Task RevokeTokenAsync(string id, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, $"api/tokens/{id}", cancellationToken);

    public Task<WebSubSubscriptionListResponse> ListWebSubSubscriptionsAsync(CancellationToken cancellationToken) =>
        SendAsync<WebSubSubscriptionListResponse>(HttpMethod.Get, "api/websub/subscriptions", null, cancellationToken);

    public Task<FollowerListResponse> ListFollowersAsync(CancellationToken cancellationToken) =>
        SendAsync<FollowerListResponse>(HttpMethod.Get, "api/activitypub/followers", null, cancellationToken);

    public Task<SourceResponse> AddSourceAsync(SourceInput source, CancellationToken cancellationToken) =>
        SendAsync<SourceResponse>(HttpMethod.Post, "api/sources", Body(source), cancellationToken);

    public Task<SourceListResponse> ListSourcesAsync(CancellationToken cancellationToken) =>
        SendAsync<SourceListResponse>(HttpMethod.Get, "api/sources", null, cancellationToken);

    public Task RemoveSourceAsync(long id, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, $"api/sources/{id}", cancellationToken);

    public Task<RefreshResponse> RefreshSourceAsync(long id, CancellationToken cancellationToken) =>
        SendAsync<RefreshResponse>(HttpMethod.Post, $"api/sources/{id}/refresh", null, cancellationToken);

    public async Task<ImportResponse> ImportOpmlAsync(string opml, CancellationToken cancellationToken)
    {
        using var content = new StringContent(opml, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/x-opml") { CharSet = "utf-8" };
        return await SendAsync<ImportResponse>(HttpMethod.Post, "api/sources/import", content, cancellationToken);
    }

    public async Task<string> ExportOpmlAsync(CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, "api/sources.opml", null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public Task<WebhookWithSecretResponse> AddWebhookAsync(WebhookInput webhook, CancellationToken cancellationToken) =>
        SendAsync<WebhookWithSecretResponse>(HttpMethod.Post, "api/webhooks", Body(webhook), cancellationToken);

    public Task<WebhookListResponse> ListWebhooksAsync(CancellationToken cancellationToken) =>
        SendAsync<WebhookListResponse>(HttpMethod.Get, "api/webhooks", null, cancellationToken);

    public Task RemoveWebhookAsync(string id, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, $"api/webhooks/{id}", cancellationToken);

    public Task<PingResponse> PingWebhookAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<PingResponse>(HttpMethod.Post, $"api/webhooks/{id}/ping", null, cancellationToken);

    /// <summary>A page of an endpoint's messages; <paramref name="query"/> is the query string without its question mark.</summary>
    public Task<WebhookMessageListResponse> ListWebhookMessagesAsync(string id, string query, CancellationToken cancellationToken) =>
        SendAsync<WebhookMessageListResponse>(HttpMethod.Get, $"api/webhooks/{id}/messages?{query}", null, cancellationToken);

    public Task<ReplayResponse> ReplayWebhookAsync(string id, ReplayRequest replay, CancellationToken cancellationToken) =>
        SendAsync<ReplayResponse>(HttpMethod.Post, $"api/webhooks/{id}/replay", Body(replay), cancellationToken);

    /// <summary>The bytes <paramref name="item"/> takes in the body of <see cref="ImportPostsAsync"/>, to size batches by.</summary>
    public static int SizeOf(PostBatchItem item) => JsonSerializer.SerializeToUtf8Bytes(item, CliJson.Wire.Type<PostBatchItem>()).Length;

    /// <summary>Sends a request and reads the answer as <typeparamref name="TResponse"/>.</summary>
    private async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using (content)
        {
            using var response = await SendRawAsync(method, path, content, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            try
            {
                return JsonSerializer.Deserialize(bytes, CliJson.Wire.Type<TResponse>())
                    ?? throw new JsonException("the answer is null.");
            }
            catch (JsonException e)
            {
                throw new CliException(ExitCodes.Server, $"{Connection.Server} answered {method} /{path.TrimStart('/')} with something other than the JSON expected: {e.Message}");
            }
        }
    }

    /// <summary>Sends a request whose answer, if any, says nothing more than its success status.</summary>
    private async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, null, cancellationToken);
    }

    /// <summary>Sends a request and returns the successful response for the caller to read; failures throw.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Server, $"cannot reach {Connection.Server}: {e.Message}");
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Server, $"{Connection.Server} did not answer {method} /{path.TrimStart('/')} within {_http.Timeout.TotalSeconds:0} s.", [e.Message]);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await FailureAsync(response, method, path, cancellationToken);
        }
    }

    private static ByteArrayContent Body<T>(T value, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, CliJson.Wire.Type<T>()));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return content;
    }

    public void Dispose() => _http.Dispose();

    private async Task<CliException> FailureAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = Problems.TryParse(text);
        var status = (int)response.StatusCode;
        var what = problem?.Title ?? response.ReasonPhrase ?? "failed";
        var detail = problem?.Detail is { Length: > 0 } d ? $": {d}" : "";
        var details = problem?.FieldErrors() ?? [];

        var failure = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CliException(
                ExitCodes.Auth,
                Connection.Token is null
                    ? $"{Connection.Server} needs a token for this. Run `feeds login`, or pass --token or set FEEDS_TOKEN."
                    : $"{Connection.Server} refused the token from {Connection.TokenSource}{detail}",
                details),
            HttpStatusCode.NotFound or HttpStatusCode.Gone => new CliException(ExitCodes.NotFound, $"{what}{detail}", details),
            HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge => new CliException(
                ExitCodes.Usage, $"the server refused the request: {what}{detail}", details),
            _ => new CliException(ExitCodes.Server, $"{method} /{path.TrimStart('/')} failed with {status} {what}{detail}", details),
        };
        return new CliException(failure.ExitCode, failure.Message, failure.Details) { HttpStatus = status, Problem = problem };
    }
}

/// <summary>Reading the server's problem documents.</summary>
public static class Problems
{
    /// <summary>The problem document in <paramref name="text"/>, or null when it is not one.</summary>
    public static ProblemResponse? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, CliJson.Wire.Type<ProblemResponse>());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One line per field: <c>items[3].url: must be an absolute http or https URL.</c></summary>
    public static IReadOnlyList<string> FieldErrors(this ProblemResponse problem) =>
        [.. (problem.Errors ?? new Dictionary<string, string[]>()).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")];
}
