using System.Runtime.InteropServices;

namespace Feeds.Benchmarks.Search;

/// <summary>
/// The CPU time the calling thread has used, from Linux's per-thread clock: fine enough to time one query, where the
/// process's total (<see cref="System.Diagnostics.Process.TotalProcessorTime"/>) moves in steps of 10 ms.
/// </summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static TimeSpan Now() =>
        OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var time) == 0
            ? TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100))
            : TimeSpan.Zero;

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
