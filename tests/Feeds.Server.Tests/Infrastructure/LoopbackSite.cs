using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Feeds.Server.Tests.Infrastructure;

/// <summary>
/// Another site on the network for the server to reach (a feed it polls, a webhook receiver): Kestrel on 127.0.0.1 at
/// a port of its own choosing, every request handed to <see cref="HandleAsync"/>, the most requests open at once counted.
/// </summary>
public abstract class LoopbackSite : IAsyncDisposable
{
    private WebApplication? _app;
    private int _inFlight;
    private int _maxInFlight;

    public string BaseUrl { get; private set; } = "";

    public string Url(string path) => $"{BaseUrl}/{path.TrimStart('/')}";

    /// <summary>The most requests this site had open at once since it started or since <see cref="ResetInFlight"/>.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>How many requests this site has open now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void ResetInFlight() => Volatile.Write(ref _maxInFlight, 0);

    protected abstract Task HandleAsync(HttpContext context);

    protected async Task ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(CountedAsync);
        await _app.StartAsync();
        BaseUrl = _app.Urls.First().TrimEnd('/');
    }

    private async Task CountedAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while (inFlight > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }

        try
        {
            await HandleAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
