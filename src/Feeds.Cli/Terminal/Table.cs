using System.Globalization;
using System.Text;

namespace Feeds.Cli.Terminal;

/// <summary>Left-aligned columns for people; scripts use <c>--json</c>. Colour only where <see cref="Style"/> allows it.</summary>
public sealed class Table(params string[] headers)
{
    private const int MaxCellWidth = 60;
    private readonly List<(string[] Cells, string?[] Colours)> _rows = [];

    public void Add(params string[] cells) => _rows.Add((cells, new string?[cells.Length]));

    /// <summary>Adds a row whose cell <paramref name="colouredColumn"/> is shown in <paramref name="colour"/> on a terminal.</summary>
    public void AddColoured(int colouredColumn, string? colour, params string[] cells)
    {
        var colours = new string?[cells.Length];
        colours[colouredColumn] = colour;
        _rows.Add((cells, colours));
    }

    public int Count => _rows.Count;

    public void Write(TextWriter output, Style style)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        var shown = _rows.Select(r => (Cells: r.Cells.Select(Shorten).ToArray(), r.Colours)).ToList();
        foreach (var (cells, _) in shown)
        {
            for (var i = 0; i < cells.Length && i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], cells[i].Length);
            }
        }

        output.WriteLine(style.Bold(Line(headers, new string?[headers.Length], widths, Style.Plain)));
        foreach (var (cells, colours) in shown)
        {
            output.WriteLine(Line(cells, colours, widths, style));
        }
    }

    private static string Line(string[] cells, string?[] colours, int[] widths, Style style)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]);
            line.Append(colours[i] is { } colour ? style.Colour(colour, cell) : cell);
            if (i < cells.Length - 1)
            {
                line.Append("  ");
            }
        }

        return line.ToString().TrimEnd();
    }

    private static string Shorten(string cell)
    {
        var flat = cell.ReplaceLineEndings(" ");
        if (flat.Length <= MaxCellWidth)
        {
            return flat;
        }

        var cut = MaxCellWidth - 1;
        if (char.IsHighSurrogate(flat[cut - 1]))
        {
            cut--;
        }

        return flat[..cut] + "…";
    }
}

/// <summary>ANSI styling that is either on (a terminal without NO_COLOR) or a no-op.</summary>
public sealed class Style(bool enabled)
{
    public const string Green = "32";
    public const string Yellow = "33";
    public const string Cyan = "36";
    public const string Red = "31";

    public static Style Plain { get; } = new(false);

    public bool Enabled => enabled;

    public string Colour(string code, string text) => enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;

    public string Bold(string text) => enabled ? $"\u001b[1m{text}\u001b[0m" : text;

    public string Status(string status) => Colour(StatusColour(status) ?? "0", status);

    public static string? StatusColour(string status) => status switch
    {
        "published" or "ok" or "delivered" or "enabled" => Green,
        "draft" or "pending" or "not-modified" => Yellow,
        "scheduled" => Cyan,
        "error" or "failed" or "gone" or "disabled" => Red,
        _ => null,
    };

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
