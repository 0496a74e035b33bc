using System.Text;

namespace Feeds.Core.Tests.Syndication;

/// <summary>
/// Byte-for-byte comparison with files under <c>testdata/golden</c>. Run the tests with
/// <c>FEEDS_UPDATE_GOLDEN=1</c> to (re)write the files in the source tree, then review the diff.
/// </summary>
internal static class Golden
{
    public static string Directory { get; } =
        Path.Combine(Feeds.Tests.ExternalTools.RepositoryRoot, "tests", "Feeds.Core.Tests", "testdata", "golden");

    public static bool Updating => Environment.GetEnvironmentVariable("FEEDS_UPDATE_GOLDEN") == "1";

    public static void AssertMatches(string fileName, byte[] actual)
    {
        var path = Path.Combine(Directory, fileName);
        if (Updating)
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllBytes(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{fileName} has no golden file yet; run the tests with FEEDS_UPDATE_GOLDEN=1 to create it.");
        var expected = File.ReadAllBytes(path);
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }

        var at = expected.AsSpan().CommonPrefixLength(actual);
        Assert.Fail(
            $"{fileName} differs from its golden file at byte {at} " +
            $"(rerun with FEEDS_UPDATE_GOLDEN=1 if the change is intended):\n" +
            $"expected: …{Around(expected, at)}…\n" +
            $"actual:   …{Around(actual, at)}…");
    }

    private static string Around(byte[] bytes, int at)
    {
        var start = Math.Max(0, at - 60);
        return Encoding.UTF8.GetString(bytes, start, Math.Min(bytes.Length, at + 60) - start);
    }
}
