namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// A Dockerfile's instructions as Docker reads them (comments dropped, continued lines joined), so a test can follow
/// the image's last stage without Docker.
/// </summary>
public sealed class Dockerfile
{
    private readonly List<DockerInstruction> _instructions;

    private Dockerfile(List<DockerInstruction> instructions) => _instructions = instructions;

    /// <summary>The instructions after the last <c>FROM</c>: those that shape the image that runs.</summary>
    public IReadOnlyList<DockerInstruction> FinalStage => [.. _instructions.Skip(_instructions.FindLastIndex(i => i.Name == "FROM") + 1)];

    public static Dockerfile Load(string path)
    {
        var instructions = new List<DockerInstruction>();
        var pending = "";
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var text = (pending + line).Trim();
            pending = "";
            if (text.Length > 0)
            {
                var space = text.IndexOfAny([' ', '\t']);
                instructions.Add(space < 0
                    ? new DockerInstruction(text.ToUpperInvariant(), "")
                    : new DockerInstruction(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim()));
            }
        }

        return new Dockerfile(instructions);
    }

    /// <summary>The variables one <c>ENV</c> instruction sets, in either form (<c>ENV A=1 B=2</c>, <c>ENV A 1</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Variables(DockerInstruction env)
    {
        var parts = env.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 0 && !parts[0].Contains('=', StringComparison.Ordinal))
        {
            yield return new(parts[0], Unquote(string.Join(' ', parts.Skip(1))));
            yield break;
        }

        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            yield return new(part[..equals], Unquote(part[(equals + 1)..]));
        }
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
}

public sealed record DockerInstruction(string Name, string Arguments);
