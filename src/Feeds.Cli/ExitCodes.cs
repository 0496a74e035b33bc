namespace Feeds.Cli;

/// <summary>What the process exit code tells a script. The README's table lists the same.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command line or the input was wrong: bad arguments, a file that cannot be read, or a request the server refused as invalid or conflicting (400, 409, 413, 422).</summary>
    public const int Usage = 1;

    /// <summary>The server could not be reached, failed (5xx) or answered something unexpected; or a webhook ping or source refresh failed upstream.</summary>
    public const int Server = 2;

    /// <summary>No token, or the server refused the token (401, 403).</summary>
    public const int Auth = 3;

    /// <summary>The post, tag, source, webhook or token does not exist (404).</summary>
    public const int NotFound = 4;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}

/// <summary>A failure to report on stderr with its exit code; <see cref="Details"/> are printed indented below the message.</summary>
public sealed class CliException(int exitCode, string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Details { get; } = details ?? [];

    /// <summary>The HTTP status of a refused request, if that is what failed.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The server's problem document, if it sent one.</summary>
    public Feeds.Contracts.Problems.ProblemResponse? Problem { get; init; }
}
