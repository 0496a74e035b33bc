using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using Feeds.Server.Tests.Infrastructure;
using Feeds.Server.Tests.Publishing;
using Feeds.Tests;

namespace Feeds.Server.Tests.Hosting;

/// <summary>
/// The Docker image without Docker: the service published, its data directory made by the Dockerfile's own
/// instructions with the Dockerfile's environment, and the service started by the image's entry point as an
/// unprivileged user, as <c>USER $APP_UID</c> starts it in the container.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ContainerLayoutTests : IDisposable
{
    // What mkdir makes and what Docker makes for a volume's mount point: the owner writes, everyone reads and enters.
    private const UnixFileMode OwnerWrites = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const string DataDirectoryVariable = "Feeds__DataDirectory";
    private const string UrlsVariable = "ASPNETCORE_URLS";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "feeds-image-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _output = new();
    private Process? _server;

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit();
        }

        _server?.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task The_published_service_runs_unprivileged_on_a_data_directory_made_as_the_image_makes_it()
    {
        var user = UnprivilegedUser.Require();
        var dotnet = await user.RequireDotnetAsync();
        var stage = Dockerfile.Load(Path.Combine(ExternalTools.RepositoryRoot, "Dockerfile")).FinalStage;
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, OwnerWrites);

        var app = await PublishAsync(dotnet);
        var environment = await BuildFinalStageAsync(stage, user, app);
        var dataDirectory = environment[DataDirectoryVariable];

        var port = TestPorts.Free();
        environment[UrlsVariable] = $"http://127.0.0.1:{port}";
        var entryPoint = JsonSerializer.Deserialize<string[]>(stage.Last(i => i.Name == "ENTRYPOINT").Arguments)!;
        Assert.Equal("dotnet", entryPoint[0]);
        StartServer(user.Command(["env", .. environment.Select(v => $"{v.Key}={v.Value}"), dotnet, .. entryPoint[1..]]), app);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForHealthAsync(client);
        var token = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin-token"))).Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await client.PostAsJsonAsync("/api/posts", new { url = "https://example.com/volume", title = "Written to a new volume" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}\n{Output}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(created.Headers.Location)).StatusCode);
        await client.WaitForTitleAsync("/everything.atom", "Written to a new volume", TimeSpan.FromSeconds(15));
        Assert.True(File.Exists(Path.Combine(dataDirectory, "feeds.db")));
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Publishes what the tests built, in their configuration, as the image's build stage publishes it.</summary>
    private async Task<string> PublishAsync(string dotnet)
    {
        var app = Path.Combine(_root, "app");
        var configuration = typeof(ContainerLayoutTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var project = Path.Combine(ExternalTools.RepositoryRoot, "src", "Feeds.Server");
        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(
            dotnet, ["publish", project, "--no-build", "--nologo", "-c", configuration, "-o", app], TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"dotnet publish exited {exitCode}:\n{stdout}\n{stderr}");
        return app;
    }

    /// <summary>
    /// Follows the last stage in order: its environment, with the data directory moved under this test's directory,
    /// and every RUN that makes the data directory, as root before <c>USER</c> and as the user after it. Other RUNs
    /// install software, which this machine has. Returns the environment the entry point starts with.
    /// </summary>
    private async Task<Dictionary<string, string>> BuildFinalStageAsync(IReadOnlyList<DockerInstruction> stage, UnprivilegedUser user, string app)
    {
        // The base image's user: USER $APP_UID runs the service as it.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["APP_UID"] = user.Uid };
        var dataDirectory = Path.Combine(_root, "data");
        string? imageDataDirectory = null;
        string[] volumes = [];
        var asUser = false;
        foreach (var instruction in stage)
        {
            switch (instruction.Name)
            {
                case "ENV":
                    foreach (var (key, value) in Dockerfile.Variables(instruction))
                    {
                        imageDataDirectory = key == DataDirectoryVariable ? value : imageDataDirectory;
                        environment[key] = key == DataDirectoryVariable ? dataDirectory : value;
                    }

                    break;
                case "RUN" when imageDataDirectory is not null && instruction.Arguments.Contains(imageDataDirectory, StringComparison.Ordinal):
                    Assert.Fail($"RUN {instruction.Arguments}: name the data directory as ${DataDirectoryVariable}, so it stays one setting and this test can make it elsewhere");
                    break;
                case "RUN" when instruction.Arguments.Contains(DataDirectoryVariable, StringComparison.Ordinal):
                    string[] command = ["env", .. environment.Select(v => $"{v.Key}={v.Value}"), "sh", "-c", instruction.Arguments];
                    var run = asUser ? user.Command(command) : command;
                    var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(run[0], run[1..], TimeSpan.FromMinutes(1), app);
                    Assert.True(exitCode == 0, $"RUN {instruction.Arguments} exited {exitCode}:\n{stdout}\n{stderr}");
                    break;
                case "USER":
                    Assert.Equal("$APP_UID", instruction.Arguments);
                    asUser = true;
                    break;
                case "VOLUME":
                    volumes = instruction.Arguments.StartsWith('[')
                        ? JsonSerializer.Deserialize<string[]>(instruction.Arguments)!
                        : instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    break;
            }
        }

        Assert.True(asUser, "the image must run the service as USER $APP_UID, not as root");
        Assert.NotNull(imageDataDirectory);
        Assert.Contains(imageDataDirectory, volumes);
        if (!Directory.Exists(dataDirectory))
        {
            // What Docker makes for a volume mounted where the image has no directory: root's.
            Directory.CreateDirectory(dataDirectory);
            File.SetUnixFileMode(dataDirectory, OwnerWrites);
        }

        return environment;
    }

    private void StartServer(string[] command, string workingDirectory)
    {
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        _server.OutputDataReceived += (_, e) => Append(e.Data);
        _server.ErrorDataReceived += (_, e) => Append(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitForHealthAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_server!.HasExited)
            {
                await _server.WaitForExitAsync();
                Assert.Fail($"the service exited with code {_server.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        Assert.Fail($"/health did not answer 200 within 60 s:\n{Output}");
    }
}
