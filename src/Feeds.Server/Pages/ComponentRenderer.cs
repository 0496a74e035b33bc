using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.HtmlRendering.Infrastructure;

// StaticHtmlRenderer is the public base for renderers of HTML outside a circuit; removing a root component is the
// one member of the renderer's own infrastructure used here, and HtmlRenderer offers no other way to let go of one.
#pragma warning disable BL0006

namespace Feeds.Server.Pages;

/// <summary>
/// A long-lived renderer of components to HTML (static rendering, no circuit), used by one render at a time from
/// <see cref="ComponentRenderers"/>. Each root component is removed once its HTML is written: a renderer keeps every
/// root it is given until then, which for one living as long as the service would be every page ever rendered.
/// </summary>
public sealed class ComponentRenderer : StaticHtmlRenderer
{
    private readonly IServiceScope _scope;

    private readonly PageRequest _request;

    // Blazor's services are scoped, and the root provider refuses them where scopes are validated (Development): each
    // renderer has a scope of its own, for as long as it lives. A page's request reaches it through this scope's PageRequest.
    public ComponentRenderer(IServiceScopeFactory scopes, ILoggerFactory loggerFactory)
        : this(scopes.CreateScope(), loggerFactory)
    {
    }

    private ComponentRenderer(IServiceScope scope, ILoggerFactory loggerFactory)
        : base(scope.ServiceProvider, loggerFactory)
    {
        _scope = scope;
        _request = scope.ServiceProvider.GetRequiredService<PageRequest>();
    }

    /// <summary>
    /// Renders <paramref name="componentType"/> with <paramref name="parameters"/> and writes its HTML to
    /// <paramref name="output"/>. The components read <paramref name="request"/> from <see cref="PageRequest"/> (a layout
    /// that names the address asked for).
    /// </summary>
    public Task RenderAsync(Type componentType, ParameterView parameters, HttpContext? request, TextWriter output) =>
        Dispatcher.InvokeAsync(async () =>
        {
            _request.Current = request;
            var component = InstantiateComponent(componentType);
            var root = BeginRenderingComponent(component, parameters);
            try
            {
                await root.QuiescenceTask;
                root.WriteHtmlTo(output);
            }
            finally
            {
                _request.Current = null;
                RemoveRootComponent(GetComponentState(component).ComponentId);
            }
        });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _scope.Dispose();
        }
    }
}
