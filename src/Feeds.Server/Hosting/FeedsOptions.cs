using System.Buffers;
using System.ComponentModel.DataAnnotations;

namespace Feeds.Server.Hosting;

/// <summary>The service's own settings, section <c>Feeds</c> (environment variables <c>Feeds__Key</c>).</summary>
public sealed class FeedsOptions : IValidatableObject
{
    public const string Section = "Feeds";

    private static readonly SearchValues<char> HostCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:[]");

    /// <summary>Where the SQLite file (and the generated admin token, when none is configured) live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The bootstrap admin token. When empty, one is generated into the data directory on first start.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The public base URL used in links, permalinks and feed ids.</summary>
    [Required]
    public string BaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>
    /// Other hosts (<c>host</c> or <c>host:port</c>, as readers send them in <c>Host</c>) the site also answers as: a
    /// feed asked for at one gets its self link there. Any host neither this nor BaseUrl's gets BaseUrl's documents.
    /// </summary>
    public string[] HostAliases { get; set; } = [];

    /// <summary>Load <c>samples/posts.json</c> into an empty database at start-up (also the <c>--seed-samples</c> switch).</summary>
    public bool SeedSamples { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(BaseUrl)} must be an absolute http or https URL without query or fragment (got '{BaseUrl}').",
                [nameof(BaseUrl)]);
        }

        if (AdminToken is { Length: > 0 and < 16 })
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(AdminToken)} must be at least 16 characters long; leave it empty to have one generated.",
                [nameof(AdminToken)]);
        }

        for (var i = 0; i < HostAliases.Length; i++)
        {
            if (!IsHost(HostAliases[i]))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(HostAliases)}:{i} must be a host name or address, with a port where it is not the default, and nothing else (got '{HostAliases[i]}').",
                    [nameof(HostAliases)]);
            }
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return new ValidationResult($"{Section}:{nameof(DataDirectory)} must name a directory.", [nameof(DataDirectory)]);
        }
    }

    /// <summary>An ASCII host (an IDN in its punycode form), perhaps with a port: what a <c>Host</c> header holds.</summary>
    private static bool IsHost(string? value) =>
        !string.IsNullOrEmpty(value) && !value.AsSpan().ContainsAnyExcept(HostCharacters)
        && Uri.TryCreate($"http://{value}/", UriKind.Absolute, out var uri) && uri.Host.Length > 0;

    /// <summary>The base URL without a trailing slash, ready to prefix site-relative paths.</summary>
    public string BaseUrlTrimmed => BaseUrl.TrimEnd('/');

    public string Absolute(string path) => BaseUrlTrimmed + path;
}
