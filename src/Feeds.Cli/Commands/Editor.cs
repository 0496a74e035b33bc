using System.Diagnostics;
using System.Text;

namespace Feeds.Cli.Commands;

/// <summary>
/// Opens <c>$VISUAL</c> or <c>$EDITOR</c> on a text and returns what was saved. With neither set it opens <c>vi</c>, but
/// only on a terminal: a script without a terminal gets an error, never an editor waiting for keys it will not send.
/// </summary>
internal static class Editor
{
    public static async Task<string> EditAsync(CommandContext context, string text, string extension)
    {
        var environment = context.Environment;
        var editor = environment.Variable("VISUAL") ?? environment.Variable("EDITOR");
        if (editor is null && !environment.InputIsTerminal)
        {
            throw new CliException(ExitCodes.Usage, "no editor: set VISUAL or EDITOR, or give the text with -m (stdin is not a terminal).");
        }

        editor ??= OperatingSystem.IsWindows() ? "notepad" : "vi";
        var path = Path.Combine(Path.GetTempPath(), $"feeds-{Guid.NewGuid():N}{extension}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(path, new UTF8Encoding(false), options))
        {
            await writer.WriteAsync(text);
        }

        try
        {
            // Through the shell, so EDITOR may carry arguments ("code --wait") as it does for git.
            var start = OperatingSystem.IsWindows()
                ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", $"{editor} \"{path}\"" } }
                : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", editor + " \"$1\"", "sh", path } };
            start.UseShellExecute = false;
            using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Usage, $"could not start the editor '{editor}'.");
            await process.WaitForExitAsync(context.Cancellation);

            if (process.ExitCode != 0)
            {
                throw new CliException(ExitCodes.Usage, $"the editor '{editor}' exited with {process.ExitCode}; nothing was changed.");
            }

            return await File.ReadAllTextAsync(path, Encoding.UTF8, CancellationToken.None);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException(ExitCodes.Usage, $"could not start the editor '{editor}': {e.Message}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
