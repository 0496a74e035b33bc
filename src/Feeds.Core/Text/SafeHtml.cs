using Ganss.Xss;

namespace Feeds.Core.Text;

/// <summary>The one sanitizer policy for HTML that came from anyone but the service itself.</summary>
public static class SafeHtml
{
    public static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in (string[])["http", "https", "mailto"])
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }

        foreach (var tag in (string[])["form", "input", "button", "textarea", "select", "option", "style"])
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedCssProperties.Clear();
        return sanitizer;
    }
}
