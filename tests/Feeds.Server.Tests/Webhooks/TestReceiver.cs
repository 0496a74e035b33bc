using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Feeds.Core.Webhooks;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Server.Tests.Webhooks;

/// <summary>A request as a receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, string Id, long Timestamp, string Signature, byte[] Body, long ReceivedAt, int AnsweredWith)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string Type => Json.GetProperty("type").GetString()!;

    public bool VerifiesWith(string secret) =>
        WebhookSignature.Verify(Id, Timestamp, Body, Signature, WebhookSecret.Parse(secret));
}

/// <summary>How a receiver answers one request: a status, optionally after a delay, or never (hang until the sender gives up).</summary>
public sealed record Answer(int Status, TimeSpan Delay = default, bool Hang = false, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Answer Ok { get; } = new(200);

    public static Answer Hangs { get; } = new(0, Hang: true);
}

/// <summary>
/// A real HTTP webhook receiver on 127.0.0.1 (Kestrel, port 0). Each path is a separate "subscriber"; a path's
/// answers come from <see cref="Respond"/>, given the request and how many requests that path had before it.
/// </summary>
public sealed class TestReceiver : LoopbackSite
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _countByPath = new(StringComparer.Ordinal);

    private TestReceiver()
    {
    }

    public Func<string, int, Answer> Respond { get; set; } = (_, _) => Answer.Ok;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public IReadOnlyList<ReceivedWebhook> At(string path) => [.. _received.Where(r => r.Path == "/" + path.TrimStart('/'))];

    public static async Task<TestReceiver> StartAsync()
    {
        var receiver = new TestReceiver();
        await receiver.ListenAsync();
        return receiver;
    }

    /// <summary>Waits, up to <paramref name="timeout"/>, until <paramref name="condition"/> holds for what was received.</summary>
    public async Task<bool> WaitUntilAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (condition(Received))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition(Received);
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var path = context.Request.Path.Value ?? "/";
            var count = _countByPath.AddOrUpdate(path, 1, (_, n) => n + 1) - 1;
            var answer = Respond(path.TrimStart('/'), count);
            var headers = context.Request.Headers;
            _received.Enqueue(new ReceivedWebhook(
                path,
                headers[WebhookSignature.IdHeader].ToString(),
                long.TryParse(headers[WebhookSignature.TimestampHeader].ToString(), out var ts) ? ts : -1,
                headers[WebhookSignature.SignatureHeader].ToString(),
                body.ToArray(),
                Stopwatch.GetTimestamp(),
                answer.Hang ? 0 : answer.Status));

            if (answer.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"answered {answer.Status}"), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
