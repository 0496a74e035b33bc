using System.Text;
using Feeds.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Auth;

/// <summary>
/// The generated admin token of a service started without <c>Feeds:AdminToken</c>: written once, readable by
/// its owner only, so a fresh install is usable without ever running open.
/// </summary>
public sealed class AdminTokenFile(IOptions<FeedsOptions> options, ILogger<AdminTokenFile> logger)
{
    public string Path => System.IO.Path.GetFullPath(System.IO.Path.Combine(options.Value.DataDirectory, "admin-token"));

    public string ReadOrCreate()
    {
        if (File.Exists(Path))
        {
            return File.ReadAllText(Path).Trim();
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var (token, _) = ApiTokens.Generate();
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Without a byte-order mark (Encoding.UTF8 writes one): shells read the file byte for byte.
        using (var writer = new StreamWriter(Path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), fileOptions))
        {
            writer.Write(token);
        }

        logger.LogWarning("No Feeds:AdminToken is configured; generated one into {AdminTokenPath}", Path);
        return token;
    }
}
