using System.Text;

namespace Feeds.Core.ActivityPub;

/// <summary>
/// The parameters of a draft-cavage <c>Signature</c> header (<c>keyId="…",algorithm="…",headers="…",signature="…"</c>).
/// A header without <c>headers</c> signs <c>date</c> alone, as the draft says.
/// </summary>
public sealed record SignatureHeader(string KeyId, string? Algorithm, IReadOnlyList<string> Headers, byte[] Signature)
{
    /// <summary>Reads a header value; null when it is not one (a parameter missing, unquoted, or the signature not base64).</summary>
    public static SignatureHeader? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 8192)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && (value[i] == ',' || value[i] == ' '))
            {
                i++;
            }

            var eq = value.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= value.Length || value[eq + 1] != '"')
            {
                return i >= value.Length ? Build(parameters) : null;
            }

            var name = value[i..eq].Trim();
            var end = value.IndexOf('"', eq + 2);
            if (end < 0 || !parameters.TryAdd(name, value[(eq + 2)..end]))
            {
                return null;
            }

            i = end + 1;
        }

        return Build(parameters);
    }

    private static SignatureHeader? Build(Dictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("keyId", out var keyId) || keyId.Length == 0 || !parameters.TryGetValue("signature", out var signature))
        {
            return null;
        }

        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var written))
        {
            return null;
        }

        var headers = parameters.TryGetValue("headers", out var list)
            ? list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToArray()
            : ["date"];
        return new SignatureHeader(keyId, parameters.GetValueOrDefault("algorithm"), headers, bytes[..written]);
    }

    /// <summary>The header value, parameters in the order Mastodon writes them.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("keyId=\"").Append(KeyId).Append('"');
        if (Algorithm is not null)
        {
            text.Append(",algorithm=\"").Append(Algorithm).Append('"');
        }

        text.Append(",headers=\"").Append(string.Join(' ', Headers)).Append('"');
        text.Append(",signature=\"").Append(Convert.ToBase64String(Signature)).Append('"');
        return text.ToString();
    }
}
