using System.Security.Cryptography;
using System.Text;
using Feeds.Core.ActivityPub;
using Feeds.Tests.ActivityPub;

namespace Feeds.Core.Tests.ActivityPub;

/// <summary>Signing and checking against the test values of draft-cavage-http-signatures-12, appendix C, and against python3-httpsig.</summary>
public sealed class HttpSignatureTests
{
    private const string SpecPrivateKey = """
        -----BEGIN RSA PRIVATE KEY-----
        MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
        NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
        UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
        AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
        QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
        kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
        f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
        412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
        mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
        kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
        gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
        G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
        7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
        -----END RSA PRIVATE KEY-----
        """;

    private const string Path = "/foo?param=value&pet=dog";

    private static readonly Dictionary<string, string> SpecHeaders = new()
    {
        ["host"] = "example.com",
        ["date"] = "Sun, 05 Jan 2014 21:31:40 GMT",
        ["content-type"] = "application/json",
        ["digest"] = "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
        ["content-length"] = "18",
    };

    private static RSA SpecKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(SpecPrivateKey);
        return rsa;
    }

    [Fact]
    public void The_digest_of_the_spec_body_is_the_specs()
    {
        Assert.Equal(SpecHeaders["digest"], HttpSignature.Digest(Encoding.UTF8.GetBytes("""{"hello": "world"}""")));
    }

    [Fact]
    public void The_default_test_signs_the_date_alone_as_the_spec_shows()
    {
        var expected = "SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM=";
        using var key = SpecKey();

        var header = HttpSignature.Sign(key, "Test", "POST", Path, ["date"], SpecHeaders.GetValueOrDefault);

        Assert.Equal($"keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"date\",signature=\"{expected}\"", header);
    }

    [Fact]
    public void The_basic_test_signs_request_target_host_and_date_as_the_spec_shows()
    {
        var expected = "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=";
        using var key = SpecKey();

        var header = HttpSignature.Sign(key, "Test", "POST", Path, ["(request-target)", "host", "date"], SpecHeaders.GetValueOrDefault);

        Assert.Equal(expected, Convert.ToBase64String(SignatureHeader.Parse(header)!.Signature));
    }

    [Fact]
    public void The_specs_basic_signature_verifies_and_fails_once_a_signed_header_changes()
    {
        using var key = SpecKey();
        var signature = SignatureHeader.Parse(
            "keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=\"")!;

        Assert.True(HttpSignature.Verify(key, signature, "POST", Path, SpecHeaders.GetValueOrDefault));
        Assert.False(HttpSignature.Verify(key, signature, "POST", "/foo?param=value&pet=cat", SpecHeaders.GetValueOrDefault));
        Assert.False(HttpSignature.Verify(key, signature, "POST", Path, name => name == "host" ? "example.org" : SpecHeaders.GetValueOrDefault(name)));
        Assert.False(HttpSignature.Verify(key, signature with { Algorithm = "hmac-sha256" }, "POST", Path, SpecHeaders.GetValueOrDefault));
    }

    [Theory]
    [InlineData("")]
    [InlineData("keyId=Test,signature=abc")]
    [InlineData("signature=\"abc=\"")]
    [InlineData("keyId=\"Test\",signature=\"not base64!\"")]
    [InlineData("keyId=\"Test\",keyId=\"Other\",signature=\"abc=\"")]
    public void A_header_that_is_not_a_signature_is_read_as_none(string value)
    {
        Assert.Null(SignatureHeader.Parse(value));
    }

    [Fact]
    public async Task A_signature_made_here_verifies_with_python3_httpsig_and_one_made_there_verifies_here()
    {
        PythonHttpsig.Require();
        using var key = RSA.Create(2048);
        string[] signed = ["(request-target)", "host", "date", "digest", "content-type"];

        var ours = HttpSignature.Sign(key, "https://a.example/actor#main-key", "POST", "/inbox", signed, SpecHeaders.GetValueOrDefault);
        var (ok, error) = await PythonHttpsig.VerifyAsync(
            key.ExportSubjectPublicKeyInfoPem(), "POST", "/inbox", "example.com", new Dictionary<string, string>(SpecHeaders) { ["signature"] = ours }, signed);
        var theirs = await PythonHttpsig.SignAsync(key.ExportPkcs8PrivateKeyPem(), "https://b.example/actor#main-key", "POST", "/inbox", "example.com", SpecHeaders, signed);

        Assert.True(ok, error);
        Assert.True(HttpSignature.Verify(key, SignatureHeader.Parse(theirs)!, "POST", "/inbox", SpecHeaders.GetValueOrDefault));
        Assert.False(HttpSignature.Verify(key, SignatureHeader.Parse(theirs)!, "POST", "/outbox", SpecHeaders.GetValueOrDefault));
    }
}
