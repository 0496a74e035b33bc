using System.Text;

namespace Feeds.Cli.Terminal;

/// <summary>
/// Output to stdout, or to a file that appears only when complete: written beside its final name and renamed into
/// place at the end, so an error or Ctrl-C never leaves half a file (and never clobbers the previous one).
/// </summary>
internal static class OutputFile
{
    public static async Task WriteAsync(string? path, TextWriter stdout, Func<TextWriter, Task> write, CancellationToken cancellationToken)
    {
        if (path is null or "-")
        {
            await write(stdout);
            return;
        }

        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var writer = new StreamWriter(temporary, new UTF8Encoding(false), new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write }))
            {
                await write(writer);
                await writer.FlushAsync(cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException(ExitCodes.Usage, $"cannot write {path}: {e.Message}");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
