using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Feeds.Core.Parsing;

namespace Feeds.Core.Tests.Parsing;

/// <summary>
/// Every fixture under testdata/parsing is parsed and compared with the golden JSON beside it
/// (<c>name.golden.json</c>; for refused documents it holds the error). Set <c>FEEDS_UPDATE_GOLDEN=1</c>
/// to rewrite the golden files in the source tree instead of comparing.
/// </summary>
public sealed class GoldenFeedTests
{
    private const string Folder = "testdata/parsing";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static TheoryData<string> Fixtures()
    {
        var root = Path.Combine(AppContext.BaseDirectory, Folder);
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!file.EndsWith(".golden.json", StringComparison.Ordinal) && !file.EndsWith(".content-type", StringComparison.Ordinal))
            {
                data.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_parses_to_its_golden_result(string fixture)
    {
        var path = Path.Combine(AppContext.BaseDirectory, Folder, fixture);
        var contentTypeFile = path + ".content-type";
        var contentType = File.Exists(contentTypeFile) ? File.ReadAllText(contentTypeFile).Trim() : null;
        var documentUrl = new Uri("https://fixtures.example/feeds/" + fixture);

        string actual;
        try
        {
            var feed = FeedParser.Parse(File.ReadAllBytes(path), documentUrl, contentType);
            actual = JsonSerializer.Serialize(feed, Json);
        }
        catch (FeedParseException e)
        {
            actual = JsonSerializer.Serialize(new { error = e.Message }, Json);
        }

        Golden.Check(Path.Combine(Folder, Path.ChangeExtension(fixture, ".golden.json")), actual + "\n");
    }
}

/// <summary>Compares output with a golden file, or rewrites the file in the source tree when FEEDS_UPDATE_GOLDEN=1.</summary>
public static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("FEEDS_UPDATE_GOLDEN") == "1";

    public static void Check(string relativePath, string actual)
    {
        if (Updating)
        {
            var source = Path.Combine(ProjectDirectory(), relativePath);
            File.WriteAllText(source, actual);
            return;
        }

        var expectedPath = Path.Combine(AppContext.BaseDirectory, relativePath);
        Assert.True(File.Exists(expectedPath), $"{relativePath} is missing; run the tests with FEEDS_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }

    /// <summary>The test project's source folder: the first ancestor of the test binaries holding its project file.</summary>
    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Feeds.Core.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Feeds.Core.Tests.csproj not found above " + AppContext.BaseDirectory);
    }
}
