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

    private const string Script = """
        import json, sys
        from httpsig.sign import HeaderSigner
        from httpsig.verify import HeaderVerifier
        request = json.load(sys.stdin)
        if request["op"] == "sign":
            signer = HeaderSigner(request["keyId"], request["key"], algorithm="rsa-sha256", headers=request["signed"], sign_header="signature")
            signed = signer.sign(dict(request["headers"]), host=request["host"], method=request["method"], path=request["path"])
            print(json.dumps({"signature": signed["signature"]}))
        else:
            try:
                verifier = HeaderVerifier(request["headers"], request["key"], required_headers=request["required"],
                                          method=request["method"], path=request["path"], host=request["host"], sign_header="signature")
                print(json.dumps({"ok": bool(verifier.verify())}))
            except Exception as e:
                print(json.dumps({"ok": False, "error": str(e)}))
        """;

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
        return answer.GetProperty("signature").GetString()!;
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
        var start = new ProcessStartInfo(Python, ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(request.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"python3-httpsig failed: {await errors}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
