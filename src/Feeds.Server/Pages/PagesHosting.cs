using System.Text.Encodings.Web;
using System.Text.Unicode;
using Feeds.Server.Pages.Shared;

namespace Feeds.Server.Pages;

/// <summary>
/// The HTML side of the site: Razor components rendered on the server (static rendering only, no circuits and no
/// WebAssembly), their static files, and the content security policy every answer carries.
/// </summary>
public static class PagesHosting
{
    public static IHostApplicationBuilder AddFeedsPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        // Pages are UTF-8: letters and punctuation beyond ASCII are written as they are, not as character references
        // (which made the encoder's slow path the cost of every "·" and every non-English word).
        builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        builder.Services.AddSingleton<SiteAssets>();
        builder.Services.AddSingleton<ComponentRenderers>();
        builder.Services.AddScoped<PageRequest>();
        builder.Services.AddSingleton<PostArticles>();
        return builder;
    }

    /// <summary>Static files first (they need neither routing nor authentication), then the policy for what follows.</summary>
    public static WebApplication UseFeedsPages(this WebApplication app)
    {
        app.UseStaticFiles(app.Services.GetRequiredService<SiteAssets>().ServingOptions());
        app.UseFeedsContentSecurityPolicy();
        return app;
    }
}
