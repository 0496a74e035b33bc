using System.Diagnostics;
using System.Globalization;

namespace Feeds.Cli.Terminal;

/// <summary>
/// One self-rewriting line on stderr, shown only on a terminal without NO_COLOR; otherwise every call does nothing,
/// so piped output and logs stay clean. Redrawn at most ten times a second.
/// </summary>
public sealed class ProgressBar(TextWriter error, bool enabled, long total, string unit)
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _drawnAt = -1000;
    private bool _drawn;

    public void Report(long done, bool force = false)
    {
        if (!enabled || (!force && _clock.ElapsedMilliseconds - _drawnAt < 100))
        {
            return;
        }

        _drawnAt = _clock.ElapsedMilliseconds;
        var fraction = total == 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        var rate = _clock.Elapsed.TotalSeconds > 0.5 ? $"  {(done / _clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)}/s" : "";
        error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {Style.Count(done)}/{Style.Count(total)} {unit}{rate}\u001b[K");
        _drawn = true;
    }

    /// <summary>Clears the line so the next message starts clean.</summary>
    public void Clear()
    {
        if (enabled && _drawn)
        {
            error.Write("\r\u001b[K");
            _drawn = false;
        }
    }
}
