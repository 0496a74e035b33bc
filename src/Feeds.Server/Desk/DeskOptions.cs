using System.ComponentModel.DataAnnotations;

namespace Feeds.Server.Desk;

/// <summary>The author's desk in the browser, section <c>Feeds:Desk</c> (environment variables <c>Feeds__Desk__Key</c>).</summary>
public sealed class DeskOptions
{
    public const string Section = "Feeds:Desk";

    /// <summary>Sign-in and first-run attempts one address may make per <see cref="SignInWindow"/>.</summary>
    [Range(1, 1000)]
    public int SignInAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a desk session lasts without a visit; each visit in its second half renews it.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the compose form waits for a page's title.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan TitleFetchTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
