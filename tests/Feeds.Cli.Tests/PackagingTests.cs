using System.Reflection;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Tests;

namespace Feeds.Cli.Tests;

/// <summary>The tool as the README installs it: packed into a folder, installed and updated from there.</summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string _artifacts = TempDirectory.Create();
    private readonly string _tools = TempDirectory.Create();

    public void Dispose()
    {
        Directory.Delete(_artifacts, recursive: true);
        Directory.Delete(_tools, recursive: true);
    }

    [Fact]
    public async Task Each_pack_is_a_higher_version_that_dotnet_tool_update_installs()
    {
        var first = await PackAsync();
        // Versions count seconds.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var second = await PackAsync();
        Assert.True(second > first, $"the second pack is {second}, the first {first}");

        await DotnetAsync("tool", "install", "Feeds.Cli", "--tool-path", _tools, "--source", _artifacts, "--version", first.ToString());
        var updated = await DotnetAsync("tool", "update", "Feeds.Cli", "--tool-path", _tools, "--source", _artifacts);

        Assert.Contains($"'{second}'", updated, StringComparison.Ordinal);
        Assert.Contains(second.ToString(), await DotnetAsync("tool", "list", "--tool-path", _tools), StringComparison.Ordinal);
    }

    /// <summary>Packs what the tests built, in their configuration, and returns the new package's version.</summary>
    private async Task<Version> PackAsync()
    {
        var before = Directory.GetFiles(_artifacts, "*.nupkg");
        var configuration = typeof(PackagingTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        await DotnetAsync("pack", Path.Combine(ExternalTools.RepositoryRoot, "src", "Feeds.Cli"), "--no-build", "-c", configuration, "-o", _artifacts);
        var added = Directory.GetFiles(_artifacts, "*.nupkg").Except(before).ToList();
        Assert.True(added.Count == 1, $"pack added {added.Count} packages beside {string.Join(", ", before.Select(Path.GetFileName))}: one of an unchanged version replaces the last");
        return Version.Parse(Path.GetFileNameWithoutExtension(added[0])["Feeds.Cli.".Length..]);
    }

    private static async Task<string> DotnetAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync("dotnet", arguments, TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {exitCode}:\n{stdout}\n{stderr}");
        return stdout;
    }
}
