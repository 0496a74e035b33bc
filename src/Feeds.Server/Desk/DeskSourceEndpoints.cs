using Feeds.Contracts.Sources;
using Feeds.Data.Sources;
using Feeds.Server.Desk.Pages;
using Feeds.Server.Sources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Feeds.Server.Desk;

/// <summary>
/// <c>/desk/sources</c>: every source with its fetch state; follow, refresh now, remove and OPML upload, each through
/// the same handlers as <c>/api/sources</c>, so the desk and the API cannot disagree.
/// </summary>
public static class DeskSourceEndpoints
{
    /// <summary>An OPML file larger than this is no list of subscriptions.</summary>
    public const long MaxOpmlBytes = 1024 * 1024;

    public sealed class AddForm
    {
        public string? Url { get; set; }
        public string? Tags { get; set; }
        public string? Mode { get; set; }
    }

    public static RouteGroupBuilder MapDeskSources(this RouteGroupBuilder desk)
    {
        desk.MapGet("/sources", (HttpContext context, SourceStore store, CancellationToken cancellationToken) =>
            ShowAsync(context, store, null, null, StatusCodes.Status200OK, cancellationToken));
        desk.MapPost("/sources", Add);
        desk.MapPost("/sources/{id:long}/refresh", Refresh);
        desk.MapPost("/sources/{id:long}/remove", Remove);
        desk.MapPost("/sources/import", Import);
        return desk;
    }

    public static async Task<IResult> Add([FromForm] AddForm form, HttpContext context, [AsParameters] SourceServices services, CancellationToken cancellationToken)
    {
        var input = new SourceInput(
            form.Url?.Trim(), null, [.. (form.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            form.Mode ?? "draft", null, null);
        var result = (await SourcesApi.CreateSource(input, services, cancellationToken)).Result;
        return result switch
        {
            Created<SourceResponse> created => await ShowAsync(context, services.Store, $"Following {created.Value!.Title}.", null, StatusCodes.Status200OK, cancellationToken),
            _ => await ShowAsync(context, services.Store, null, ErrorsOf(result), StatusCodes.Status400BadRequest, cancellationToken),
        };
    }

    public static async Task<IResult> Refresh(long id, HttpContext context, SourcePoller poller, SourceStore store, CancellationToken cancellationToken)
    {
        var result = (await SourcesApi.RefreshSource(id, poller, cancellationToken)).Result;
        if (result is not Ok<RefreshResponse> { Value: { } refresh })
        {
            return Missing(context);
        }

        var message = refresh.Status switch
        {
            "ok" => $"{refresh.Source.Title}: read, {refresh.NewPosts} new and {refresh.UpdatedPosts} updated posts.",
            "not-modified" => $"{refresh.Source.Title}: nothing new.",
            "gone" => $"{refresh.Source.Title}: the feed is gone (410); polling has stopped.",
            _ => $"{refresh.Source.Title}: {refresh.Error}",
        };
        return await ShowAsync(context, store, message, null, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> Remove(long id, HttpContext context, SourceStore store, CancellationToken cancellationToken)
    {
        var source = await store.GetAsync(id, cancellationToken);
        if (source is null || (await SourcesApi.DeleteSource(id, store, cancellationToken)).Result is not NoContent)
        {
            return Missing(context);
        }

        return await ShowAsync(context, store, $"No longer following {source.DisplayTitle}; its posts stay.", null, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> Import(
        IFormFile? opml, [FromForm] bool? publish, HttpContext context, [AsParameters] SourceServices services, CancellationToken cancellationToken)
    {
        if (opml is null || opml.Length == 0 || opml.Length > MaxOpmlBytes)
        {
            var problem = new Dictionary<string, string[]> { ["opml"] = [$"must be an OPML file of 1 byte to {MaxOpmlBytes / 1024} KiB."] };
            return await ShowAsync(context, services.Store, null, problem, StatusCodes.Status400BadRequest, cancellationToken);
        }

        using var body = new MemoryStream();
        await opml.CopyToAsync(body, cancellationToken);
        var result = (await SourcesApi.ImportDocumentAsync(body.ToArray(), publish == true ? "publish" : "draft", "opml", services, cancellationToken)).Result;
        if (result is not Ok<ImportResponse> { Value: { } imported })
        {
            return await ShowAsync(context, services.Store, null, ErrorsOf(result), StatusCodes.Status400BadRequest, cancellationToken);
        }

        var skipped = imported.NotImported.Count == 0
            ? ""
            : " Skipped: " + string.Join("; ", imported.NotImported.Select(n => $"{n.Url} ({n.Reason.TrimEnd('.')})")) + ".";
        return await ShowAsync(context, services.Store,
            $"Imported {imported.Created} of {imported.Outlines} feeds; they are read in the next polling round.{skipped}", null, StatusCodes.Status200OK, cancellationToken);
    }

    private static async Task<IResult> ShowAsync(
        HttpContext context, SourceStore store, string? message, IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken) =>
        DeskPages.Render<SourcesPage>(context, new Dictionary<string, object?>
        {
            [nameof(SourcesPage.Sources)] = await store.ListAsync(cancellationToken),
            [nameof(SourcesPage.Message)] = message,
            [nameof(SourcesPage.Errors)] = errors ?? new Dictionary<string, string[]>(),
        }, status);

    private static Dictionary<string, string[]> ErrorsOf(IResult result) => result switch
    {
        ValidationProblem validation => new(validation.ProblemDetails.Errors),
        ProblemHttpResult problem => new() { [problem.ProblemDetails.Title ?? "problem"] = [problem.ProblemDetails.Detail ?? ""] },
        _ => new() { ["problem"] = ["The request was refused."] },
    };

    private static IResult Missing(HttpContext context) =>
        DeskPages.Problem(context, StatusCodes.Status404NotFound, "Not found", "There is no such source; it may have been removed.");
}
