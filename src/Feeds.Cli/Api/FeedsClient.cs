using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Feeds.Cli.Api;

/// <summary>
/// The server's HTTP API, and nothing else: each call either returns the JSON the server answered or throws a
/// <see cref="CliException"/> whose exit code says what went wrong (see <see cref="ExitCodes"/>).
/// </summary>
public sealed class FeedsClient : IDisposable
{
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

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonBody(body), cancellationToken);

    public Task<JsonElement> PatchAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, JsonBody(body, "application/merge-patch+json"), cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>Sends a request and returns the JSON answer (<c>undefined</c> for an empty one, such as 204).</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return bytes.Length == 0 ? default : ParseJson(bytes, method, path);
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

    public static StringContent JsonBody(JsonNode body, string mediaType = "application/json") =>
        new(body.ToJsonString(CliJson.Compact), Encoding.UTF8, mediaType);

    public void Dispose() => _http.Dispose();

    private async Task<CliException> FailureAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = Problem.TryParse(text);
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

    private JsonElement ParseJson(byte[] bytes, HttpMethod method, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Server, $"{Connection.Server} answered {method} /{path.TrimStart('/')} with something other than JSON: {e.Message}");
        }
    }
}

/// <summary>An RFC 9457 problem as the server sends it.</summary>
public sealed record Problem(string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static Problem? TryParse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in list.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? [.. field.Value.EnumerateArray().Select(m => m.ToString())]
                        : [field.Value.ToString()];
                }
            }

            return new Problem(root.Str("title"), root.Str("detail"), errors);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One line per field: <c>items[3].url: must be an absolute http or https URL.</c></summary>
    public IReadOnlyList<string> FieldErrors() =>
        [.. Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")];
}
