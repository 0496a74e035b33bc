using Feeds.Server.Tests.Infrastructure;

namespace Feeds.Server.Tests.Sources;

public sealed class SourceOptionsTests
{
    [Theory]
    [InlineData("Feeds:Sources:MinIntervalMinutes", "0", "MinIntervalMinutes")]
    [InlineData("Feeds:Sources:MaxPerHost", "0", "MaxPerHost")]
    [InlineData("Feeds:Sources:MaxPollsPerSecond", "0", "MaxPollsPerSecond")]
    [InlineData("Feeds:Sources:DefaultIntervalMinutes", "5", "Feeds:Sources:DefaultIntervalMinutes")]
    [InlineData("Feeds:Sources:ConnectTimeout", "00:00:45", "Feeds:Sources:ConnectTimeout")]
    [InlineData("Feeds:Sources:AllowedPorts", "80, 443, 1024-", "Feeds:Sources:AllowedPorts")]
    [InlineData("Feeds:Webhooks:AllowedPorts", "ssh", "Feeds:Webhooks:AllowedPorts")]
    public async Task A_bad_sources_setting_stops_start_up_with_a_message_naming_it(string key, string value, string named)
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string?> { [key] = value });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }
}
