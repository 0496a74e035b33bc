using System.Diagnostics;
using Feeds.Tests;
using Npgsql;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for one test run, from the machine's own PostgreSQL binaries: <c>initdb</c> into a
/// temporary directory, <c>postgres</c> on a free loopback port (as <c>nobody</c> when the tests run as root, since
/// PostgreSQL refuses root), stopped and removed when the run ends. Tests share the cluster and each gets a database of
/// its own (<see cref="CreateDatabaseAsync"/>). The cluster trades durability for speed (no fsync): it outlives no test run.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);

    private static readonly string? Binaries = FindBinaries();

    private readonly Process _server;

    private PostgresCluster(Process server, string directory, int port)
    {
        _server = server;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>What is missing for a cluster, or null when one can be started.</summary>
    public static string? Missing =>
        Binaries is null ? "PostgreSQL (initdb and postgres under /usr/lib/postgresql/<version>/bin; apt-get install postgresql)"
        : !OperatingSystem.IsLinux() ? "Linux, to run PostgreSQL for the tests"
        : Environment.IsPrivilegedProcess && UnprivilegedUser.Find() is null ? "setpriv and the user nobody, to run PostgreSQL as other than root"
        : null;

    /// <summary>The run's cluster, started by the first caller.</summary>
    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>Stops the run's cluster if one was started; called once, when the run ends.</summary>
    public static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.DisposeAsync();
        }
    }

    /// <summary>The connection string of the cluster's database <paramref name="database"/>.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "feeds",
        Database = database,
        // Many servers of a run are alive at once; none needs many connections, nor to keep idle ones for long.
        MaxPoolSize = 20,
        ConnectionIdleLifetime = 10,
        ConnectionPruningInterval = 2,
    }.ConnectionString;

    /// <summary>A new database, empty or a copy of <paramref name="template"/> (which no one may be connected to); returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string? template = null)
    {
        var name = "feeds_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        // FILE_COPY: the template's files copied as they are, rather than written again through the WAL block by block.
        await using var command = new NpgsqlCommand(
            template is null ? $"create database {name}" : $"create database {name} template {template} strategy file_copy", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        if (Missing is { } missing)
        {
            throw new InvalidOperationException("needs " + missing);
        }

        var directory = TempDirectory.Create();
        var data = Path.Combine(directory, "data");
        var user = UnprivilegedUser.Find();
        if (user is not null && OperatingSystem.IsLinux())
        {
            // The server runs as nobody, who must own its data directory and be able to reach it.
            File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.OtherExecute);
            System.IO.Directory.CreateDirectory(data);
            await RunAsync(["chown", $"{user.Uid}:{user.Gid}", data]);
        }

        await RunAsync(As(user, [Path.Combine(Binaries!, "initdb"), "-D", data, "-U", "feeds", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]));

        var port = TestPorts.Free();
        var start = new ProcessStartInfo(user is null ? Path.Combine(Binaries!, "postgres") : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in As(user, [
            Path.Combine(Binaries!, "postgres"), "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", data, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400", "-c", "fsync=off",
            "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "shared_buffers=64MB"])[(user is null ? 1 : 0)..])
        {
            start.ArgumentList.Add(argument);
        }

        var server = Process.Start(start) ?? throw new InvalidOperationException("could not start postgres");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var cluster = new PostgresCluster(server, directory, port);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres") + ";Pooling=false");
                await connection.OpenAsync();
                return cluster;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(30) || server.HasExited)
                {
                    await cluster.DisposeAsync();
                    throw new InvalidOperationException("PostgreSQL did not accept connections within 30 s", e);
                }

                await Task.Delay(100);
            }
        }
    }

    private static string[] As(UnprivilegedUser? user, string[] command) =>
        user is null ? command : ["setpriv", $"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups", .. command];

    private static async Task RunAsync(string[] command)
    {
        var (exitCode, stdout, stderr) = await ExternalTools.RunAsync(command[0], command[1..], TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({exitCode}): {stdout}{stderr}");
        }
    }

    /// <summary>
    /// The directory <c>FEEDS_TEST_POSTGRES_BIN</c> names, else the newest PostgreSQL's binaries in Debian's layout, else
    /// where <c>initdb</c> is on the path.
    /// </summary>
    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("FEEDS_TEST_POSTGRES_BIN") is { Length: > 0 } named)
        {
            return File.Exists(Path.Combine(named, "initdb")) && File.Exists(Path.Combine(named, "postgres")) ? named : null;
        }

        const string Debian = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(Debian))
        {
            var newest = System.IO.Directory.GetDirectories(Debian)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Directory, "bin", "initdb")) && File.Exists(Path.Combine(d.Directory, "bin", "postgres")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return Path.Combine(newest.Directory, "bin");
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            // SIGINT: PostgreSQL's fast shutdown, which ends the sessions still open.
            await ExternalTools.RunAsync("kill", ["-INT", _server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _server.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _server.Kill(entireProcessTree: true);
            }
        }

        _server.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
