using System.Diagnostics;

namespace Feeds.Tests;

/// <summary>
/// The independent checkers in <c>shared/tools</c> beside the repository (or <c>FEEDS_TOOLS_DIR</c>).
/// A test that needs one calls <see cref="Require"/>, which skips the test with a reason naming the
/// missing tool, so the suite still passes on a machine where the checkers are not installed.
/// </summary>
public static class ExternalTools
{
    public static string? Directory { get; } = Locate();

    /// <summary>The full path of <paramref name="script"/>; skips the calling test when it or what it runs is missing.</summary>
    public static string Require(string script, params string[] programs)
    {
        if (Directory is null)
        {
            Assert.Skip($"{script}: the shared/tools directory was not found beside the repository (set FEEDS_TOOLS_DIR).");
        }

        var path = Path.Combine(Directory, script);
        if (!File.Exists(path))
        {
            Assert.Skip($"{script}: not found in {Directory}.");
        }

        foreach (var program in programs)
        {
            if (!OnPath(program))
            {
                Assert.Skip($"{script}: needs '{program}', which is not installed (run shared/tools/install.sh).");
            }
        }

        if (NeedsNodeModules(script) && NodeModules() is null)
        {
            Assert.Skip($"{script}: needs the checkers' npm packages, which are not installed (run shared/tools/install.sh).");
        }

        return path;
    }

    /// <summary>The checkers that load npm packages: the Node scripts and the JSON Feed validator (ajv).</summary>
    private static bool NeedsNodeModules(string script) =>
        script.EndsWith(".mjs", StringComparison.Ordinal) || script == "validate-jsonfeed.sh";

    /// <summary>
    /// Where install.sh put the npm packages, looked up as the checkers look them up: beside the tools, else in
    /// <c>FEEDS_TOOLS_NODE</c>, else in the user's cache.
    /// </summary>
    private static string? NodeModules()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] candidates =
        [
            Path.Combine(Directory!, "node"),
            Environment.GetEnvironmentVariable("FEEDS_TOOLS_NODE") ?? Path.Combine(home, ".cache", "feeds-tools", "node"),
        ];
        return candidates.Select(c => Path.Combine(c, "node_modules")).FirstOrDefault(System.IO.Directory.Exists);
    }

    /// <summary>Runs a checker and returns its exit code and output; never throws on a non-zero exit.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? System.IO.Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>The repository's root: the first ancestor of the test binaries holding <c>Feeds.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Feeds.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Feeds.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? Locate()
    {
        // Runs while the type initialises, before RepositoryRoot (declared below) has its value.
        var configured = Environment.GetEnvironmentVariable("FEEDS_TOOLS_DIR");
        if (!string.IsNullOrEmpty(configured))
        {
            return System.IO.Directory.Exists(configured) ? configured : null;
        }

        var beside = Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "tools"));
        return System.IO.Directory.Exists(beside) ? beside : null;
    }
}
