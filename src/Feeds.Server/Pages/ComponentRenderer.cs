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

    // Blazor's services are scoped, and the root provider refuses them where scopes are validated (Development): each
    // renderer has a scope of its own, for as long as it lives. A page's request reaches it as a cascading value (below).
    public ComponentRenderer(IServiceScopeFactory scopes, ILoggerFactory loggerFactory)
        : this(scopes.CreateScope(), loggerFactory)
    {
    }

    private ComponentRenderer(IServiceScope scope, ILoggerFactory loggerFactory)
        : base(scope.ServiceProvider, loggerFactory) =>
        _scope = scope;

    /// <summary>
    /// Renders <paramref name="componentType"/> with <paramref name="parameters"/> and writes its HTML to
    /// <paramref name="output"/>. With <paramref name="request"/>, the request cascades to every component as
    /// <c>RazorComponentResult</c> cascades it (a layout that names the address asked for reads it there).
    /// </summary>
    public Task RenderAsync(Type componentType, ParameterView parameters, HttpContext? request, TextWriter output) =>
        Dispatcher.InvokeAsync(async () =>
        {
            if (request is not null)
            {
                (componentType, parameters) = Cascading(componentType, parameters, request);
            }

            var component = InstantiateComponent(componentType);
            var root = BeginRenderingComponent(component, parameters);
            try
            {
                await root.QuiescenceTask;
                root.WriteHtmlTo(output);
            }
            finally
            {
                RemoveRootComponent(GetComponentState(component).ComponentId);
            }
        });

    /// <summary>A <see cref="CascadingValue{TValue}"/> of <paramref name="request"/> around the page.</summary>
    private static (Type, ParameterView) Cascading(Type componentType, ParameterView parameters, HttpContext request)
    {
        var page = parameters.ToDictionary();
        RenderFragment content = builder =>
        {
            builder.OpenComponent(0, componentType);
            foreach (var (name, value) in page)
            {
                builder.AddComponentParameter(1, name, value);
            }

            builder.CloseComponent();
        };
        return (typeof(CascadingValue<HttpContext>), ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(CascadingValue<HttpContext>.Value)] = request,
            [nameof(CascadingValue<HttpContext>.IsFixed)] = true,
            [nameof(CascadingValue<HttpContext>.ChildContent)] = content,
        }));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _scope.Dispose();
        }
    }
}
