using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Feeds.Benchmarks.Import;

/// <summary>
/// Load script for <c>feeds import</c> as an author runs it: N generated Netscape bookmarks, the service hosted
/// in-process on Kestrel over a new SQLite file, and the real tool started as a process of its own (<c>dotnet feeds.dll
/// import</c>) importing them over HTTP. Prints posts per second from the tool's start to its exit (target ≥ 5,000/s)
/// and how long after the import the firehose serves a document with the newest post.
/// A first import of other bookmarks (5,000 unless given) runs before it and is reported apart, and the import measured
/// starts once the first one's feeds are rendered and the service's compiler has gone quiet: the service it measures
/// is one that has been running, not one whose code is still being compiled (begun as soon as the first import's feeds
/// were rendered, the import measured gave a fifth of its CPU samples to the runtime's compiler thread) or that is
/// still rendering the feeds of the import before. The tool's own start, compilation included, is part of the time
/// measured, as it is of an author's (<c>scripts/import-processes.sh</c> measures a first import into a service just
/// started).
/// <c>dotnet run -c Release --project tests/Feeds.Benchmarks -- import [N] [batch size] [batches at once] [first import]</c>
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var batchSize = args.Length > 1 ? args[1] : "500";
        var parallel = args.Length > 2 ? args[2] : "2";
        var firstCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5_000;
        var directory = Directory.CreateTempSubdirectory("feeds-import-bench-").FullName;
        try
        {
            var file = Path.Combine(directory, "bookmarks.html");
            var generate = Stopwatch.StartNew();
            var newest = BookmarkFile.Write(file, count, "");
            Console.WriteLine($"generated {count:N0} bookmarks ({new FileInfo(file).Length / 1024.0 / 1024.0:F1} MiB) in {generate.Elapsed.TotalSeconds:F1} s");
            var firstFile = Path.Combine(directory, "first.html");
            var firstNewest = BookmarkFile.Write(firstFile, firstCount, "first-");

            await using var host = new InProcessServer(Path.Combine(directory, "data"), new Dictionary<string, string>
            {
                ["Logging:LogLevel:Feeds.Server.Publishing"] = Environment.GetEnvironmentVariable("FEEDS_BENCH_LOG") ?? "Warning",
                ["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ",
            });
            using var http = new HttpClient { BaseAddress = host.Address };
            var before = (await http.GetAsync("/everything.atom")).Headers.ETag?.Tag;

            var environment = new Dictionary<string, string>
            {
                ["FEEDS_SERVER"] = host.Address.ToString(),
                ["FEEDS_TOKEN"] = InProcessServer.Token,
                ["HOME"] = directory,
            };
            if (firstCount > 0)
            {
                var started = Stopwatch.StartNew();
                var (first, _, _) = await RunToolAsync(["import", firstFile, "--batch-size", batchSize, "--parallel", parallel], environment);
                Console.WriteLine($"first import, {firstCount:N0} other bookmarks into the service just started: {firstCount / started.Elapsed.TotalSeconds:N0} posts/s (exit code {first})");
                // Its feeds are rendered once imports pause: the import measured starts after that render, not beside it.
                var (_, rendered) = await WaitForFirehoseAsync(http, firstNewest, Stopwatch.GetTimestamp());
                Console.WriteLine($"its feeds rendered {rendered.TotalSeconds:F1} s later");
                var quiet = await JitQuietAsync();
                Console.WriteLine($"the service's compiler quiet {quiet.TotalSeconds:F1} s later");
            }

            var jitMethods = JitInfo.GetCompiledMethodCount();
            var jitTime = JitInfo.GetCompilationTime();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var toolCpuBefore = ChildrenCpu();
            var writtenBefore = BytesWritten();
            var import = Stopwatch.StartNew();
            var (code, output, errors) = await RunToolAsync(["import", file, "--batch-size", batchSize, "--parallel", parallel], environment);
            var seconds = import.Elapsed.TotalSeconds;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var toolCpu = ChildrenCpu() - toolCpuBefore;
            var written = BytesWritten() - writtenBefore;
            var ended = Stopwatch.GetTimestamp();
            Console.Write(output);
            Console.Error.Write(errors);
            if (code != 0)
            {
                Console.Error.WriteLine($"feeds import exited with {code}");
                return code;
            }

            var rate = count / seconds;
            Console.WriteLine($"import of {count:N0} bookmarks in batches of {batchSize}, {parallel} at once: {seconds:F2} s, {rate:N0} posts/s (target >= 5,000/s)");
            Console.WriteLine($"CPU meanwhile: service {cpu.TotalSeconds:F1} s ({cpu.TotalMilliseconds * 1000 / count:F0} µs per post), tool {toolCpu.TotalSeconds:F1} s ({toolCpu.TotalMilliseconds * 1000 / count:F0} µs per post); load average {LoadAverage()}");
            Console.WriteLine($"the service's JIT compiler meanwhile: {JitInfo.GetCompiledMethodCount() - jitMethods:N0} methods, {(JitInfo.GetCompilationTime() - jitTime).TotalSeconds:F2} s");
            Console.WriteLine($"written by the service meanwhile (files and sockets): {written / 1024.0 / 1024.0:N0} MiB, {written / 1024.0 / count:F1} KiB per post");
            var (etag, waited) = await WaitForFirehoseAsync(http, newest, ended);
            Console.WriteLine($"firehose: new ETag {etag} (was {before}) serving the newest post {waited.TotalMilliseconds:F0} ms after the import returned");
            return rate >= 5000 ? 0 : 1;
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("FEEDS_BENCH_KEEP") is null) { Directory.Delete(directory, recursive: true); } else { Console.WriteLine(directory); }
        }
    }

    /// <summary>Runs the tool (<c>feeds.dll</c>, built beside the benchmarks) to its end; returns its exit code and what it wrote.</summary>
    private static async Task<(int Code, string Output, string Errors)> RunToolAsync(string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "feeds.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var tool = Process.Start(start) ?? throw new InvalidOperationException("could not start the feeds tool");
        var output = tool.StandardOutput.ReadToEndAsync();
        var errors = tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync();
        return (tool.ExitCode, await output, await errors);
    }

    /// <summary>Waits until this process's JIT compiler has compiled nothing for a second; returns how long that took.</summary>
    private static async Task<TimeSpan> JitQuietAsync()
    {
        var waited = Stopwatch.StartNew();
        for (var compiled = -1L; compiled != JitInfo.GetCompiledMethodCount();)
        {
            compiled = JitInfo.GetCompiledMethodCount();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return waited.Elapsed;
    }

    /// <summary>The CPU time of this process's children that have ended (<c>getrusage(RUSAGE_CHILDREN)</c>); zero off Linux.</summary>
    private static TimeSpan ChildrenCpu()
    {
        const int RusageChildren = -1;
        return OperatingSystem.IsLinux() && GetRusage(RusageChildren, out var usage) == 0
            ? TimeSpan.FromMicroseconds((usage.UserSeconds * 1_000_000) + usage.UserMicroseconds + (usage.SystemSeconds * 1_000_000) + usage.SystemMicroseconds)
            : TimeSpan.Zero;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out ResourceUsage usage);

    /// <summary>The head of <c>struct rusage</c> on 64-bit Linux (two <c>timeval</c>s), followed by its fourteen counters.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;

        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Counters;
    }

    /// <summary>The bytes this process has handed to <c>write</c> calls so far (files and sockets alike), from <c>/proc/self/io</c>; 0 where there is none.</summary>
    private static long BytesWritten() =>
        File.Exists("/proc/self/io")
            ? File.ReadLines("/proc/self/io").Where(l => l.StartsWith("wchar:", StringComparison.Ordinal)).Select(l => long.Parse(l[6..], CultureInfo.InvariantCulture)).FirstOrDefault()
            : 0;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Polls <c>/everything.atom</c> until it carries the newest bookmark; returns its ETag and how long that took.</summary>
    private static async Task<(string? ETag, TimeSpan Waited)> WaitForFirehoseAsync(HttpClient http, string newestUrl, long since)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var response = await http.GetAsync("/everything.atom");
            if ((await response.Content.ReadAsStringAsync()).Contains(newestUrl, StringComparison.Ordinal))
            {
                return (response.Headers.ETag?.Tag, Stopwatch.GetElapsedTime(since));
            }

            await Task.Delay(5);
        }

        var last = await http.GetStringAsync("/everything.atom");
        throw new TimeoutException($"the firehose did not show the newest imported post ({newestUrl}) within 60 s; it begins:\n{last[..Math.Min(3000, last.Length)]}");
    }
}
