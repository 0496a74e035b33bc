using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.ObjectPool;

namespace Feeds.Server.Pages;

/// <summary>
/// Renders every page and kept article through a few long-lived <see cref="ComponentRenderer"/>s, one render at a time
/// each. ASP.NET Core's <c>RazorComponentResult</c> builds a renderer per request, with its services, navigation and
/// form state: for a permalink that set-up cost more than rendering the page. The pages need nothing of it but the
/// request itself, which they read from PageRequest (the rest comes as parameters, antiforgery tokens included),
/// and the HTML written is the same.
/// </summary>
public sealed class ComponentRenderers : IDisposable
{
    private readonly ObjectPool<ComponentRenderer> _idle;

    public ComponentRenderers(IServiceScopeFactory scopes, ILoggerFactory loggerFactory) =>
        // Renders beyond the kept ones get a renderer of their own, disposed after use.
        _idle = new DefaultObjectPoolProvider { MaximumRetained = 2 * Environment.ProcessorCount }
            .Create(new Policy(scopes, loggerFactory));

    /// <summary>
    /// Writes the HTML of <paramref name="componentType"/> with <paramref name="parameters"/> to <paramref name="output"/>;
    /// a page gives its <paramref name="request"/> (<see cref="PageRequest"/>).
    /// </summary>
    public async Task RenderAsync(Type componentType, IReadOnlyDictionary<string, object?> parameters, TextWriter output, HttpContext? request = null)
    {
        var renderer = _idle.Get();
        try
        {
            await renderer.RenderAsync(componentType, ParameterView.FromDictionary(AsDictionary(parameters)), request, output);
        }
        catch
        {
            // A render that failed may leave components behind; the renderer goes with them.
            ((IDisposable)renderer).Dispose();
            throw;
        }

        _idle.Return(renderer);
    }

    /// <summary>The HTML of <typeparamref name="TComponent"/> with <paramref name="parameters"/>.</summary>
    public async Task<string> RenderToStringAsync<TComponent>(IReadOnlyDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var output = new StringWriter();
        await RenderAsync(typeof(TComponent), parameters, output);
        return output.ToString();
    }

    public void Dispose() => (_idle as IDisposable)?.Dispose();

    private static IDictionary<string, object?> AsDictionary(IReadOnlyDictionary<string, object?> parameters) =>
        parameters as IDictionary<string, object?> ?? parameters.ToDictionary();

    private sealed class Policy(IServiceScopeFactory scopes, ILoggerFactory loggerFactory) : IPooledObjectPolicy<ComponentRenderer>
    {
        public ComponentRenderer Create() => new(scopes, loggerFactory);

        public bool Return(ComponentRenderer renderer) => true;
    }
}
