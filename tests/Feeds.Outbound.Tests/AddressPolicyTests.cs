using System.Net;

namespace Feeds.Outbound.Tests;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("0.1.2.3", AddressCategory.Unspecified)]
    [InlineData("10.0.0.1", AddressCategory.PrivateNetwork)]
    [InlineData("10.255.255.255", AddressCategory.PrivateNetwork)]
    [InlineData("100.64.0.1", AddressCategory.SharedAddressSpace)]
    [InlineData("100.127.255.254", AddressCategory.SharedAddressSpace)]
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.255.255.254", AddressCategory.Loopback)]
    [InlineData("169.254.1.1", AddressCategory.LinkLocal)]
    [InlineData("169.254.169.254", AddressCategory.CloudMetadata)]
    [InlineData("100.100.100.200", AddressCategory.CloudMetadata)]
    [InlineData("172.16.0.1", AddressCategory.PrivateNetwork)]
    [InlineData("172.31.255.255", AddressCategory.PrivateNetwork)]
    [InlineData("192.0.0.8", AddressCategory.ProtocolAssignments)]
    [InlineData("192.0.2.1", AddressCategory.Documentation)]
    [InlineData("192.88.99.1", AddressCategory.Transition)]
    [InlineData("192.168.1.1", AddressCategory.PrivateNetwork)]
    [InlineData("198.18.0.1", AddressCategory.Benchmarking)]
    [InlineData("198.19.255.255", AddressCategory.Benchmarking)]
    [InlineData("198.51.100.7", AddressCategory.Documentation)]
    [InlineData("203.0.113.9", AddressCategory.Documentation)]
    [InlineData("224.0.0.1", AddressCategory.Multicast)]
    [InlineData("239.255.255.250", AddressCategory.Multicast)]
    [InlineData("240.0.0.1", AddressCategory.Reserved)]
    [InlineData("255.255.255.255", AddressCategory.Reserved)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("::127.0.0.1", AddressCategory.Reserved)]
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressCategory.PrivateNetwork)]
    [InlineData("64:ff9b::7f00:1", AddressCategory.Transition)]
    [InlineData("64:ff9b::a00:1", AddressCategory.Transition)]
    [InlineData("64:ff9b:1::808:808", AddressCategory.Transition)]
    [InlineData("100::1", AddressCategory.Reserved)]
    [InlineData("2001::1", AddressCategory.Transition)]
    [InlineData("2001:2::1", AddressCategory.Benchmarking)]
    [InlineData("2001:10::1", AddressCategory.ProtocolAssignments)]
    [InlineData("2001:db8::1", AddressCategory.Documentation)]
    [InlineData("2002:7f00:1::1", AddressCategory.Transition)]
    [InlineData("2002:808:808::1", AddressCategory.Transition)]
    [InlineData("3fff::1", AddressCategory.Documentation)]
    [InlineData("fc00::1", AddressCategory.PrivateNetwork)]
    [InlineData("fd12:3456::1", AddressCategory.PrivateNetwork)]
    [InlineData("fd00:ec2::254", AddressCategory.CloudMetadata)]
    [InlineData("fe80::1", AddressCategory.LinkLocal)]
    [InlineData("fec0::1", AddressCategory.Reserved)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("4000::1", AddressCategory.Reserved)]
    [InlineData("::ffff:0:7f00:1", AddressCategory.Reserved)]
    public void Non_public_addresses_are_blocked_with_their_category(string address, AddressCategory category)
    {
        var verdict = AddressPolicy.Judge(IPAddress.Parse(address));

        Assert.False(verdict.IsAllowed, verdict.Reason);
        Assert.Equal(category, verdict.Category);
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.215.14")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.255")]
    [InlineData("198.17.255.255")]
    [InlineData("223.255.255.254")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_unicast_addresses_are_allowed(string address) =>
        Assert.True(AddressPolicy.Judge(IPAddress.Parse(address)).IsAllowed);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("fd12:3456::1")]
    [InlineData("100.64.0.1")]
    [InlineData("::ffff:192.168.1.1")]
    public void Allowing_private_networks_opens_loopback_rfc1918_unique_local_and_shared_space(string address) =>
        Assert.True(AddressPolicy.Judge(IPAddress.Parse(address), allowPrivateNetworks: true).IsAllowed);

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("100.100.100.200")]
    [InlineData("fd00:ec2::254")]
    [InlineData("169.254.1.1")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("192.0.2.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::1")]
    public void Allowing_private_networks_keeps_link_local_metadata_and_special_ranges_closed(string address) =>
        Assert.False(AddressPolicy.Judge(IPAddress.Parse(address), allowPrivateNetworks: true).IsAllowed);

    [Fact]
    public void Nat64_addresses_carrying_a_public_ipv4_address_are_allowed() =>
        Assert.True(AddressPolicy.Judge(IPAddress.Parse("64:ff9b::808:808")).IsAllowed);

    [Fact]
    public void The_reason_names_the_address_and_its_range()
    {
        var verdict = AddressPolicy.Judge(IPAddress.Parse("10.1.2.3"));
        Assert.Equal("10.1.2.3 is a private network address (10.0.0.0/8)", verdict.Reason);
    }

    [Fact]
    public void A_mapped_address_names_the_ipv4_address_it_carries()
    {
        var verdict = AddressPolicy.Judge(IPAddress.Parse("::ffff:127.0.0.1"));
        Assert.Contains("127.0.0.1 is a loopback address", verdict.Reason);
    }
}
