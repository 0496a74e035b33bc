using Feeds.Core.Webhooks;

namespace Feeds.Core.Tests.Webhooks;

public sealed class WebhookSecretTests
{
    [Fact]
    public void A_generated_secret_is_whsec_and_the_base64_of_32_bytes()
    {
        var encoded = WebhookSecret.Generate().Encoded;

        Assert.StartsWith("whsec_", encoded);
        Assert.Equal(32, Convert.FromBase64String(encoded["whsec_".Length..]).Length);
    }

    [Fact]
    public void Generated_secrets_differ() =>
        Assert.NotEqual(WebhookSecret.Generate().Encoded, WebhookSecret.Generate().Encoded);

    [Fact]
    public void A_secret_round_trips_through_its_encoding()
    {
        var secret = WebhookSecret.Generate();

        Assert.Equal(secret.Encoded, WebhookSecret.Parse(secret.Encoded).Encoded);
    }

    [Theory]
    [InlineData(null, "starts with")]
    [InlineData("", "starts with")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starts with")]
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starts with")]
    [InlineData("whsec_not base64!", "not valid base64")]
    [InlineData("whsec_c2hvcnQ=", "holds 5")]
    public void Malformed_secrets_are_refused_with_a_reason(string? text, string reason)
    {
        Assert.False(WebhookSecret.TryParse(text, out _, out var problem));
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void A_secret_does_not_show_itself_in_logs()
    {
        var secret = WebhookSecret.Generate();

        Assert.DoesNotContain(secret.Encoded["whsec_".Length..], $"{secret}");
    }
}
