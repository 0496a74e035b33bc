using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

// A minimal Standard Webhooks receiver for Feeds: it checks the signature and the timestamp, drops
// redeliveries of a webhook-id it has already handled, and prints each event.
//
//   WEBHOOK_SECRET=whsec_... dotnet run --project samples/WebhookReceiver -- --urls http://127.0.0.1:5080
var builder = WebApplication.CreateSlimBuilder(args);
var secretText = builder.Configuration["WEBHOOK_SECRET"] ?? builder.Configuration["Receiver:Secret"];
if (string.IsNullOrEmpty(secretText) || !secretText.StartsWith("whsec_", StringComparison.Ordinal))
{
    Console.Error.WriteLine("Set WEBHOOK_SECRET to the whsec_… secret Feeds returned when the endpoint was created.");
    return 2;
}

var verifier = new SignatureVerifier(Convert.FromBase64String(secretText["whsec_".Length..]), TimeSpan.FromMinutes(5));
// Long enough to span the whole retry schedule (about three days), so a late retry is still recognised.
var seen = new SeenIds(TimeSpan.FromDays(4));
var app = builder.Build();

app.MapPost("/webhooks/feeds", async (HttpRequest request) =>
{
    // The signature covers the exact bytes, so read them before anything parses the body.
    using var buffer = new MemoryStream();
    await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
    var body = buffer.ToArray();
    var id = request.Headers["webhook-id"].ToString();
    var timestamp = request.Headers["webhook-timestamp"].ToString();
    var signatures = request.Headers["webhook-signature"].ToString();

    if (verifier.Check(id, timestamp, signatures, body, DateTimeOffset.UtcNow) is { } problem)
    {
        Console.WriteLine($"rejected {id}: {problem}");
        return Results.Unauthorized();
    }

    // Retries and replays reuse the id; answering 2xx again tells Feeds to stop without acting twice.
    if (!seen.Add(id, DateTimeOffset.UtcNow))
    {
        Console.WriteLine($"duplicate {id}, already handled");
        return Results.NoContent();
    }

    using var json = JsonDocument.Parse(body);
    var type = json.RootElement.GetProperty("type").GetString();
    var data = json.RootElement.GetProperty("data");
    var title = data.TryGetProperty("title", out var t) ? t.GetString() : null;
    var permalink = data.TryGetProperty("permalink", out var p) ? p.GetString() : null;
    Console.WriteLine($"{type} {id} {title} {permalink}".TrimEnd());
    return Results.NoContent();
});

app.Run();
return 0;

/// <summary>Standard Webhooks verification: HMAC-SHA256 over "id.timestamp.body", any "v1," entry may match.</summary>
internal sealed class SignatureVerifier(byte[] key, TimeSpan tolerance)
{
    public string? Check(string id, string timestamp, string signatures, byte[] body, DateTimeOffset now)
    {
        if (id.Length == 0 || timestamp.Length == 0 || signatures.Length == 0)
        {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "webhook-timestamp is not a number of seconds";
        }

        // Old or future-dated requests are refused, so a captured request cannot be replayed later.
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return "webhook-timestamp is outside the tolerance";
        }

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(key, signed);
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(',', 2);
            if (parts.Length != 2 || parts[0] != "v1")
            {
                continue;
            }

            var candidate = new byte[64];
            if (Convert.TryFromBase64String(parts[1], candidate, out var length)
                && CryptographicOperations.FixedTimeEquals(candidate.AsSpan(0, length), expected))
            {
                return null;
            }
        }

        return "no signature matches the secret";
    }
}

/// <summary>The webhook-ids handled recently; entries older than the window are forgotten.</summary>
internal sealed class SeenIds(TimeSpan window)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public bool Add(string id, DateTimeOffset now)
    {
        if (_seen.Count > 10_000)
        {
            foreach (var (old, at) in _seen)
            {
                if (now - at > window)
                {
                    _seen.TryRemove(old, out _);
                }
            }
        }

        return _seen.TryAdd(id, now);
    }
}
