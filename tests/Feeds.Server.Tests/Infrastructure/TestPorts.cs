using System.Net;
using System.Net.Sockets;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// Ports for test servers. Not port 0's pick: that comes from the ephemeral range, which every outgoing connection of
/// the test processes running side by side also draws from, so a port found free could be taken by a client socket
/// before the server binds it. These come from just below that range, from a block of ports that this process holds
/// alone: it keeps the block's lock file open with an exclusive lock, which the system lets go when the process ends.
/// Two test processes walking the same ports would each find a port free that the other was about to bind. Within its
/// block, each port is checked free when handed out.
/// </summary>
public static class TestPorts
{
    private const int First = 20_000;
    private const int BlockSize = 1_000;
    private const int Blocks = 12;

    private static readonly Lazy<(int First, FileStream Lock)> Block = new(TakeBlock);

    /// <summary>The lock file of this process's block, held open until the process ends.</summary>
    public static string LockFile => Block.Value.Lock.Name;

    private static int _next = -1;

    public static int Free()
    {
        var first = Block.Value.First;
        for (var attempt = 0; attempt < BlockSize; attempt++)
        {
            var port = first + (Interlocked.Increment(ref _next) % BlockSize);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no free port in {first}-{first + BlockSize - 1}");
    }

    private static (int, FileStream) TakeBlock()
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "feeds-test-ports")).FullName;
        var start = Random.Shared.Next(Blocks);
        for (var i = 0; i < Blocks; i++)
        {
            var block = (start + i) % Blocks;
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process fails to open it.
                var held = new FileStream(Path.Combine(directory, $"block-{block}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return (First + (block * BlockSize), held);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        throw new InvalidOperationException($"all {Blocks} blocks of test ports in {directory} are held by other processes");
    }
}
