
namespace Feeds.Outbound.Tests;

public sealed class OutboundPortsTests
{
    [Theory]
    [InlineData(80, true)]
    [InlineData(443, true)]
    [InlineData(1024, true)]
    [InlineData(8080, true)]
    [InlineData(65535, true)]
    [InlineData(21, false)]
    [InlineData(22, false)]
    [InlineData(25, false)]
    [InlineData(81, false)]
    [InlineData(1023, false)]
    public void By_default_the_web_ports_and_the_unprivileged_ports_are_allowed(int port, bool allowed) =>
        Assert.Equal(allowed, OutboundPorts.Default.Allows(port));

    [Fact]
    public void An_explicit_list_replaces_the_default()
    {
        var ports = OutboundPorts.Parse(" 443 ,8000-8100,70");

        Assert.Equal("443, 8000-8100, 70", ports.Text);
        Assert.True(ports.Allows(70));
        Assert.True(ports.Allows(8100));
        Assert.False(ports.Allows(80));
        Assert.False(ports.Allows(8101));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("http")]
    [InlineData("2000-1000")]
    [InlineData("1-2-3")]
    [InlineData("-80")]
    [InlineData("+80")]
    public void A_list_that_is_not_ports_is_refused_with_a_reason(string text)
    {
        Assert.False(OutboundPorts.TryParse(text, out _, out var problem));
        Assert.NotNull(problem);
    }
}
