using System.Globalization;

namespace Feeds.Benchmarks.Publishing;

/// <summary>
/// A child server's resident memory, in MB: the whole resident set and its anonymous part (the process's own memory,
/// without the database pages SQLite reads through its memory mapping, which are the kernel's shared file cache).
/// </summary>
public readonly record struct Resident(double Megabytes, double AnonymousMegabytes)
{
    public static Resident Of(ChildServer server) => new(server.ResidentMegabytes, server.AnonymousMegabytes);

    /// <summary>The larger of each figure.</summary>
    public Resident Max(Resident other) => new(Math.Max(Megabytes, other.Megabytes), Math.Max(AnonymousMegabytes, other.AnonymousMegabytes));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RSS {Megabytes:F0} MB, of which anonymous {AnonymousMegabytes:F0} MB");
}
