namespace Feeds.Server.Tests.Infrastructure;

public sealed class TestPortsTests
{
    [Fact]
    public void The_block_of_ports_is_locked_against_every_other_opener()
    {
        var port = TestPorts.Free();

        // flock locks belong to an open file, not a process: a second open here is refused as another process's is.
        Assert.Throws<IOException>(() => new FileStream(TestPorts.LockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None));
        Assert.InRange(port, 20_000, 31_999);
    }
}
