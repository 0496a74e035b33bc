using System.Globalization;
using Feeds.Core.Syndication;

namespace Feeds.Server.Pages.Shared;

/// <summary>The archive's addresses (<c>/archive/2024</c>, <c>/archive/2024/12</c>) and how its periods are named.</summary>
public static class ArchiveUrls
{
    public static string Index(FeedComposer composer) => composer.PageUrl(FeedKey.Everything) + "archive";

    public static string Of(FeedComposer composer, int year) => Index(composer) + "/" + Year(year);

    public static string Of(FeedComposer composer, DateOnly month) => Of(composer, month.Year) + "/" + Month(month.Month);

    /// <summary>A year as its address writes it: four digits.</summary>
    public static string Year(int year) => year.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>A month as its address writes it: two digits.</summary>
    public static string Month(int month) => month.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>"December 2024".</summary>
    public static string Name(DateOnly month) => month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"December".</summary>
    public static string MonthName(DateOnly month) => month.ToString("MMMM", CultureInfo.InvariantCulture);
}
