using System.Text.Json;

namespace Feeds.Server.Tests.Hosting;

/// <summary>The runtime settings the service is built with, as <c>dotnet</c> reads them from its runtimeconfig.json.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_service_runs_the_workstation_garbage_collector()
    {
        // The SDK writes System.GC.Server from the ServerGarbageCollection property, true for web projects unless set;
        // a property of another name (ServerGarbageCollector) is silently ignored.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Feeds.Server.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.GC.Server", out var server), "Feeds.Server.runtimeconfig.json names no garbage collector");
        Assert.False(server.GetBoolean());
    }
}
