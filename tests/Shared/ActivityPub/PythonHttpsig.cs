using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Feeds.Tests.ActivityPub;

/// <summary>
/// HTTP Signatures made and checked by Debian's <c>python3-httpsig</c> (draft-cavage, <c>rsa-sha256</c>), not by the
/// service's code: the independent half of every signature test. Tests that need it skip, naming the package, where
/// it is not installed.
/// </summary>
public static class PythonHttpsig
{
    private const string Python = "/usr/bin/python3";

    /// <summary>One request per line on standard input, one answer per line on standard output, until input ends.</summary>
    private const string Script = """
        import json, sys
        from httpsig.sign import HeaderSigner
        from httpsig.verify import HeaderVerifier
        for line in sys.stdin:
            request = json.loads(line)
            try:
                if request["op"] == "sign":
                    signer = HeaderSigner(request["keyId"], request["key"], algorithm="rsa-sha256", headers=request["signed"], sign_header="signature")
                    signed = signer.sign(dict(request["headers"]), host=request["host"], method=request["method"], path=request["path"])
                    answer = {"signature": signed["signature"]}
                else:
                    verifier = HeaderVerifier(request["headers"], request["key"], required_headers=request["required"],
                                              method=request["method"], path=request["path"], host=request["host"], sign_header="signature")
                    answer = {"ok": bool(verifier.verify())}
            except Exception as e:
                answer = {"ok": False, "error": str(e)}
            print(json.dumps(answer), flush=True)
        """;

    /// <summary>
    /// The one Python process that signs and verifies for the whole test run, one request at a time (a process per
    /// signature, as before, made the ActivityPub tests take twice as long). It ends when the test process does, its
    /// input closing.
    /// </summary>
    private static readonly Lazy<Process> Worker = new(() => Process.Start(new ProcessStartInfo(Python, ["-c", Script])
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        UseShellExecute = false,
    })!);

    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    private static readonly Lazy<bool> Installed = new(() =>
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import httpsig"]) { RedirectStandardError = true, UseShellExecute = false });
        process!.WaitForExit();
        return process.ExitCode == 0;
    });

    /// <summary>Skips the calling test when python3-httpsig is missing.</summary>
    public static void Require()
    {
        if (!Installed.Value)
        {
            Assert.Skip("python3-httpsig is not installed (apt-get install python3-httpsig): signatures are checked with it.");
        }
    }

    /// <summary>A <c>Signature</c> header value over <paramref name="signedHeaders"/> (names as the draft writes them), made with <paramref name="privateKeyPem"/>.</summary>
    public static async Task<string> SignAsync(
        string privateKeyPem, string keyId, string method, string path, string host, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> signedHeaders)
    {
        var answer = await RunAsync(new JsonObject
        {
            ["op"] = "sign",
            ["key"] = privateKeyPem,
            ["keyId"] = keyId,
            ["method"] = method,
            ["path"] = path,
            ["host"] = host,
            ["headers"] = Headers(headers),
            ["signed"] = new JsonArray([.. signedHeaders.Select(s => (JsonNode)s!)]),
        });
        Assert.True(answer.TryGetProperty("signature", out var signature), $"python3-httpsig could not sign: {answer}");
        return signature.GetString()!;
    }

    /// <summary>Whether the request's <c>Signature</c> header verifies under <paramref name="publicKeyPem"/> and covers <paramref name="required"/>; the reason when not.</summary>
    public static async Task<(bool Ok, string? Error)> VerifyAsync(
        string publicKeyPem, string method, string path, string host, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> required)
    {
        var answer = await RunAsync(new JsonObject
        {
            ["op"] = "verify",
            ["key"] = publicKeyPem,
            ["method"] = method,
            ["path"] = path,
            ["host"] = host,
            ["headers"] = Headers(headers),
            ["required"] = new JsonArray([.. required.Select(s => (JsonNode)s!)]),
        });
        return (answer.GetProperty("ok").GetBoolean(), answer.TryGetProperty("error", out var error) ? error.GetString() : null);
    }

    private static JsonObject Headers(IReadOnlyDictionary<string, string> headers) =>
        new(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));

    private static async Task<JsonElement> RunAsync(JsonObject request)
    {
        await OneAtATime.WaitAsync();
        try
        {
            var worker = Worker.Value;
            await worker.StandardInput.WriteLineAsync(request.ToJsonString());
            await worker.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? answer;
            try
            {
                answer = await worker.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Its late answer must not be read as the next request's: every later request fails, naming the end.
                worker.Kill();
                throw;
            }

            Assert.True(answer is not null, "python3-httpsig ended; its errors are on the test run's standard error");
            return JsonDocument.Parse(answer).RootElement.Clone();
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
