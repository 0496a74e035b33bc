using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Feeds.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Feeds.Server.Tests.WebSub;

/// <summary>A verification of intent or a denial, as the subscriber's callback saw it.</summary>
public sealed record IntentCheck(string Path, string Mode, string Topic, string? Challenge, string? LeaseSeconds, string? Reason);

/// <summary>A content distribution, as the subscriber's callback saw it.</summary>
public sealed record Distribution(string Path, string? ContentType, string? Link, string? Signature, byte[] Body, int AnsweredWith)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>Whether <see cref="Signature"/> is <c>sha256=</c> and the HMAC of the body under <paramref name="secret"/>, computed here, not by the hub's code.</summary>
    public bool SignedWith(string secret) =>
        Signature is { } header && header.StartsWith("sha256=", StringComparison.Ordinal)
        && header["sha256=".Length..] == Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Body));
}

/// <summary>
/// A WebSub subscriber written for the tests: a real HTTP server on 127.0.0.1 whose paths are callbacks. By default it
/// confirms every verification by echoing <c>hub.challenge</c> and accepts every distribution with <c>204</c>; tests
/// change either per request.
/// </summary>
public sealed class TestSubscriber : LoopbackSite
{
    private readonly ConcurrentQueue<IntentCheck> _checks = new();
    private readonly ConcurrentQueue<Distribution> _distributions = new();
    private readonly ConcurrentDictionary<string, int> _postsByPath = new(StringComparer.Ordinal);
    private int _held;

    private TestSubscriber()
    {
    }

    /// <summary>What a callback answers to a verification: by default 200 with the challenge.</summary>
    public Func<IntentCheck, (int Status, string Body)> Confirm { get; set; } = check => (200, check.Challenge ?? "");

    /// <summary>How a callback answers its nth distribution (from 0); a task that has not finished holds the request open.</summary>
    public Func<string, int, Task<int>> Accept { get; set; } = (_, _) => Task.FromResult(204);

    public IReadOnlyList<IntentCheck> Checks => [.. _checks];

    /// <summary>
    /// Distributions received and not yet answered (their <see cref="Accept"/> task still running). Unlike
    /// <see cref="LoopbackSite.InFlight"/> it never counts a verification of intent.
    /// </summary>
    public int DistributionsHeld => Volatile.Read(ref _held);

    public IReadOnlyList<Distribution> Distributions => [.. _distributions];

    public IReadOnlyList<Distribution> At(string path) => [.. _distributions.Where(d => d.Path == "/" + path.TrimStart('/'))];

    public static async Task<TestSubscriber> StartAsync()
    {
        var subscriber = new TestSubscriber();
        await subscriber.ListenAsync();
        return subscriber;
    }

    /// <summary>Waits, up to <paramref name="timeout"/>, until <paramref name="condition"/> holds.</summary>
    public static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    /// <inheritdoc cref="WaitUntilAsync(Func{bool}, TimeSpan?)"/>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return await condition();
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        try
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                var query = context.Request.Query;
                var check = new IntentCheck(
                    path, query["hub.mode"].ToString(), query["hub.topic"].ToString(), Value(query["hub.challenge"]), Value(query["hub.lease_seconds"]), Value(query["hub.reason"]));
                _checks.Enqueue(check);
                var (status, body) = check.Mode == "denied" ? (200, "") : Confirm(check);
                context.Response.StatusCode = status;
                await context.Response.WriteAsync(body, context.RequestAborted);
                return;
            }

            using var received = new MemoryStream();
            await context.Request.Body.CopyToAsync(received, context.RequestAborted);
            var count = _postsByPath.AddOrUpdate(path, 1, (_, n) => n + 1) - 1;
            int answer;
            Interlocked.Increment(ref _held);
            try
            {
                answer = await Accept(path.TrimStart('/'), count).WaitAsync(context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }

            var headers = context.Request.Headers;
            _distributions.Enqueue(new Distribution(
                path, headers.ContentType.ToString(), Value(headers.Link), Value(headers["X-Hub-Signature"]), received.ToArray(), answer));
            context.Response.StatusCode = answer;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string? Value(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 0 ? null : values.ToString();
}
