using System.Text.Json;

namespace Feeds.Cli.Api;

/// <summary>What <c>feeds login</c> saves.</summary>
public sealed record SavedLogin(string? Server, string? Token);

/// <summary>
/// <c>$XDG_CONFIG_HOME/feeds/config.json</c> (else <c>~/.config/feeds/config.json</c>; <c>%APPDATA%\feeds</c> on
/// Windows). It holds a token, so it is created readable and writable by its owner only (0600) in a 0700 directory,
/// and replaced atomically: a reader never sees half a file.
/// </summary>
public sealed class ConfigFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path { get; } = path;

    public static ConfigFile? Locate(CliEnvironment environment)
    {
        var directory = environment.Variable("XDG_CONFIG_HOME") is { } xdg && System.IO.Path.IsPathRooted(xdg) ? xdg
            : OperatingSystem.IsWindows() && environment.Variable("APPDATA") is { } appData ? appData
            : environment.Variable("HOME") is { } home ? System.IO.Path.Combine(home, ".config")
            : null;
        return directory is null ? null : new ConfigFile(System.IO.Path.Combine(directory, "feeds", "config.json"));
    }

    public SavedLogin? Read()
    {
        try
        {
            return File.Exists(Path) ? JsonSerializer.Deserialize<SavedLogin>(File.ReadAllText(Path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read {Path}: {e.Message}");
        }
    }

    public void Write(SavedLogin login)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = Path + $".{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, login, Json);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
