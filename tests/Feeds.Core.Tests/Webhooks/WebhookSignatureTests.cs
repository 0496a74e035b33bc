using System.Text;
using Feeds.Core.Webhooks;
using Feeds.Tests;

namespace Feeds.Core.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The example in the Standard Webhooks specification.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] SpecBody = """{"test": 2432232314}"""u8.ToArray();

    private static readonly WebhookSecret Secret = WebhookSecret.Parse(SpecSecret);

    [Fact]
    public void Signing_the_specification_example_gives_its_published_signature() =>
        Assert.Equal(SpecSignature, WebhookSignature.Sign(SpecId, SpecTimestamp, SpecBody, Secret));

    [Fact]
    public void The_specification_example_verifies() =>
        Assert.True(WebhookSignature.Verify(SpecId, SpecTimestamp, SpecBody, SpecSignature, Secret));

    [Fact]
    public void A_changed_body_does_not_verify() =>
        Assert.False(WebhookSignature.Verify(SpecId, SpecTimestamp, """{"test": 2432232315}"""u8, SpecSignature, Secret));

    [Fact]
    public void A_changed_id_or_timestamp_does_not_verify()
    {
        Assert.False(WebhookSignature.Verify("msg_other", SpecTimestamp, SpecBody, SpecSignature, Secret));
        Assert.False(WebhookSignature.Verify(SpecId, SpecTimestamp + 1, SpecBody, SpecSignature, Secret));
    }

    [Fact]
    public void Another_secret_does_not_verify() =>
        Assert.False(WebhookSignature.Verify(SpecId, SpecTimestamp, SpecBody, SpecSignature, WebhookSecret.Generate()));

    [Theory]
    [InlineData("")]
    [InlineData("v1,")]
    [InlineData("v1,not-base64!")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1O")]
    public void Malformed_or_unknown_signatures_do_not_verify(string header) =>
        Assert.False(WebhookSignature.Verify(SpecId, SpecTimestamp, SpecBody, header, Secret));

    [Fact]
    public void During_rotation_the_header_carries_one_signature_per_secret_and_each_verifies_alone()
    {
        var next = WebhookSecret.Generate();

        var header = WebhookSignature.Sign(SpecId, SpecTimestamp, SpecBody, [Secret, next]);

        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal(SpecSignature, parts[0]);
        Assert.True(WebhookSignature.Verify(SpecId, SpecTimestamp, SpecBody, header, Secret));
        Assert.True(WebhookSignature.Verify(SpecId, SpecTimestamp, SpecBody, header, next));
        Assert.False(WebhookSignature.Verify(SpecId, SpecTimestamp, SpecBody, header, WebhookSecret.Generate()));
    }

    [Fact]
    public void Signing_needs_at_least_one_secret() =>
        Assert.Throws<ArgumentException>(() => WebhookSignature.Sign(SpecId, SpecTimestamp, SpecBody, Array.Empty<WebhookSecret>()));

    [Theory]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void The_timestamp_must_be_within_the_tolerance(long skewSeconds, bool verifies)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp + skewSeconds);

        Assert.Equal(verifies, WebhookSignature.Verify(SpecId, SpecTimestamp, SpecBody, SpecSignature, Secret, now, WebhookSignature.DefaultTolerance));
    }

    [Fact]
    public async Task The_reference_library_verifies_our_signatures()
    {
        var script = ExternalTools.Require("verify-webhook.mjs", "node");
        var secrets = new[] { WebhookSecret.Generate(), WebhookSecret.Generate() };
        var sentAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var id = WebhookMessageId.New(sentAt);
        var timestamp = sentAt.ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes("""{"type":"post.published","data":{"title":"Café ☕ 日本語 🚀"}}""");
        var header = WebhookSignature.Sign(id, timestamp, body, secrets);

        var directory = Directory.CreateTempSubdirectory("feeds-webhook-");
        try
        {
            var headers = Path.Combine(directory.FullName, "headers.txt");
            var bodyFile = Path.Combine(directory.FullName, "body.json");
            await File.WriteAllTextAsync(
                headers,
                $"{WebhookSignature.IdHeader}: {id}\n{WebhookSignature.TimestampHeader}: {timestamp}\n{WebhookSignature.SignatureHeader}: {header}\n",
                TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(bodyFile, body, TestContext.Current.CancellationToken);

            foreach (var secret in secrets)
            {
                var (exit, stdout, stderr) = await ExternalTools.RunAsync(
                    "node", [script, "--secret", secret.Encoded, "--headers", headers, "--body", bodyFile, "--now", timestamp.ToString()]);
                Assert.True(exit == 0, $"exit {exit}: {stdout}{stderr}");
            }

            var (wrongExit, _, _) = await ExternalTools.RunAsync(
                "node", [script, "--secret", WebhookSecret.Generate().Encoded, "--headers", headers, "--body", bodyFile, "--now", timestamp.ToString()]);
            Assert.Equal(1, wrongExit);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
