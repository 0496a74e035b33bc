using Feeds.Tests;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// The system's <c>nobody</c>, for running a command as a user who owns nothing, as a container's non-root user owns
/// nothing but what the image gave it. <see cref="Require"/> skips the calling test where that cannot be done.
/// </summary>
public sealed record UnprivilegedUser(string Name, string Uid, string Gid)
{
    public static UnprivilegedUser Require()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("needs Linux, to run the service as another user");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("needs root, to make the data directory as an image build does and run the service as another user");
        }

        if (!ExternalTools.OnPath("setpriv"))
        {
            Assert.Skip("needs setpriv (util-linux), to run the service as another user");
        }

        var nobody = Nobody();
        if (nobody is null)
        {
            Assert.Skip("needs the user nobody in /etc/passwd");
        }

        return nobody;
    }

    /// <summary>The user <c>nobody</c>, when this process is root and can become it with setpriv; otherwise null.</summary>
    public static UnprivilegedUser? Find() =>
        OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess && ExternalTools.OnPath("setpriv") ? Nobody() : null;

    private static UnprivilegedUser? Nobody() =>
        File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(fields => fields is ["nobody", _, _, _, ..]) is { } entry
            ? new UnprivilegedUser(entry[0], entry[2], entry[3])
            : null;

    /// <summary><paramref name="command"/> as this user, without supplementary groups and with a fresh login environment.</summary>
    public string[] Command(IEnumerable<string> command) =>
        ["setpriv", $"--reuid={Uid}", $"--regid={Gid}", "--clear-groups", "--reset-env", .. PassedThrough(), .. command];

    /// <summary>The dotnet host running these tests; skips the calling test when this user cannot run it.</summary>
    public async Task<string> RequireDotnetAsync()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "dotnet")).FirstOrDefault(File.Exists);
        if (dotnet is null)
        {
            Assert.Skip("needs the dotnet host on PATH");
        }

        var probe = Command([dotnet, "--list-runtimes"]);
        var (exitCode, _, stderr) = await ExternalTools.RunAsync(probe[0], probe[1..], TimeSpan.FromSeconds(30));
        if (exitCode != 0)
        {
            Assert.Skip($"{Name} cannot run {dotnet} (install .NET where every user can read it): {stderr}");
        }

        return dotnet;
    }

    // A fresh login environment drops where .NET was installed, when that was said in the environment.
    private static IEnumerable<string> PassedThrough() =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? ["env", "DOTNET_ROOT=" + root] : [];
}
