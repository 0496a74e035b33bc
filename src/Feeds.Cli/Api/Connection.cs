namespace Feeds.Cli.Api;

/// <summary>Which server to talk to and with what token, and where each came from (for messages).</summary>
public sealed record Connection(Uri Server, string? Token, string ServerSource, string? TokenSource)
{
    public const string DefaultServer = "http://localhost:5000";

    /// <summary>
    /// <c>--server</c>/<c>--token</c>, else <c>FEEDS_SERVER</c>/<c>FEEDS_TOKEN</c>, else the file <c>feeds login</c> wrote.
    /// The saved token goes only to the server it was saved for, so pointing <c>--server</c> elsewhere never leaks it.
    /// </summary>
    public static Connection Resolve(string? serverOption, string? tokenOption, CliEnvironment environment)
    {
        var config = ConfigFile.Locate(environment);
        var saved = config?.Read();

        var (serverText, serverSource) = serverOption is not null ? (serverOption, "--server")
            : environment.Variable("FEEDS_SERVER") is { } fromEnvironment ? (fromEnvironment, "FEEDS_SERVER")
            : saved?.Server is { } fromFile ? (fromFile, config!.Path)
            : (DefaultServer, "the default");
        var server = ParseServer(serverText, serverSource);

        var (token, tokenSource) = tokenOption is not null ? (tokenOption, "--token")
            : environment.Variable("FEEDS_TOKEN") is { } tokenFromEnvironment ? (tokenFromEnvironment, "FEEDS_TOKEN")
            : saved?.Token is { } tokenFromFile && saved.Server is { } savedServer && SameServer(savedServer, server) ? (tokenFromFile, config!.Path)
            : ((string?)null, (string?)null);
        return new Connection(server, token, serverSource, tokenSource);
    }

    public static Uri ParseServer(string text, string source)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"the server from {source} is not an http(s) URL: '{text}'.");
        }

        // Requests are made relative to the base, so it must end in a slash to keep any path prefix.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static bool SameServer(string saved, Uri server) =>
        Uri.TryCreate(saved, UriKind.Absolute, out var uri)
        && string.Equals(uri.AbsoluteUri.TrimEnd('/'), server.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
