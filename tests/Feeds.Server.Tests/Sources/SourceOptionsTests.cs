using Feeds.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Tests.Sources;

public sealed class SourceOptionsTests
{
    [Theory]
    [InlineData("Feeds:Sources:MinIntervalMinutes", "0", "MinIntervalMinutes")]
    [InlineData("Feeds:Sources:MaxPerHost", "0", "MaxPerHost")]
    [InlineData("Feeds:Sources:MaxPollsPerSecond", "0", "MaxPollsPerSecond")]
    [InlineData("Feeds:Sources:DefaultIntervalMinutes", "5", "Feeds:Sources:DefaultIntervalMinutes")]
    [InlineData("Feeds:Sources:ConnectTimeout", "00:00:45", "Feeds:Sources:ConnectTimeout")]
    public void A_bad_sources_setting_stops_start_up_with_a_message_naming_it(string key, string value, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => new FeedsServer(settings: new Dictionary<string, string?> { [key] = value }));

        OptionsValidationException? validation = null;
        for (var inner = error; inner is not null && validation is null; inner = inner.InnerException)
        {
            validation = inner as OptionsValidationException;
        }

        Assert.True(validation is not null, error.ToString());
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
    }
}
