using System.Collections.Concurrent;
using Feeds.Contracts.Posts;
using Feeds.Contracts.Sources;
using Feeds.Core.Parsing;
using Feeds.Core.Posts;
using Feeds.Core.Sources;
using Feeds.Core.Text;
using Feeds.Data.Sources;
using Feeds.Outbound;
using Feeds.Server.Http;
using Feeds.Server.Publishing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Sources;

/// <summary>
/// <c>/api/sources</c>: follow upstream feeds (or the feed a page advertises), change and drop them, poll one now,
/// and move subscriptions in and out as OPML. Every route needs a token.
/// </summary>
public static class SourcesApi
{
    public const string OpmlMediaType = "text/x-opml";

    private static readonly string[] OpmlMediaTypes = [OpmlMediaType, "application/xml", "text/xml"];

    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sources").WithTags("Sources").RequireAuthorization();
        group.MapPost("/", CreateSource).WithName("CreateSource")
            .WithSummary("Follows a feed, or the feed a web page advertises, and reads it at once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListSources).WithName("ListSources").WithSummary("Lists followed sources.");
        group.MapGet("/{id:long}", GetSource).WithName("GetSource").WithSummary("Gets one source.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:long}", PatchSource).WithName("PatchSource")
            .WithSummary("Changes title, tags, mode, intervalMinutes, backfill or url (JSON merge patch).")
            .Accepts<SourcePatch>("application/merge-patch+json", "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:long}", DeleteSource).WithName("DeleteSource")
            .WithSummary("Stops following a source; the posts it made stay.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/refresh", RefreshSource).WithName("RefreshSource")
            .WithSummary("Polls a source now and returns how it went.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/import", ImportOpml).WithName("ImportSources")
            .WithSummary("Follows every feed of an OPML document; they are read by the next polling round.")
            .Accepts<string>(OpmlMediaType, "application/xml");
        app.MapGet("/api/sources.opml", ExportOpml).WithTags("Sources").WithName("ExportSources")
            .WithSummary("Every followed source as an OPML 2.0 document.")
            .RequireAuthorization();
        return app;
    }

    public static async Task<Results<Created<SourceResponse>, ValidationProblem, ProblemHttpResult>> CreateSource(
        SourceInput input, [AsParameters] SourceServices services, CancellationToken cancellationToken)
    {
        var (store, locator, poller, _, options, clock) = services;
        var problems = new ProblemList();
        var settings = CheckSettings(input, options.Value, problems);
        var url = await OutboundUrlChecks.CheckAsync(input.Url, "url", options.Value.ToOutboundOptions(), problems, cancellationToken);
        if (!problems.IsEmpty || settings is null || url is null)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        if (await store.FindByUrlAsync(url.AbsoluteUri, cancellationToken) is { } existing)
        {
            return AlreadyFollowed(existing);
        }

        var (located, problem) = await locator.LocateAsync(url, cancellationToken);
        if (located is null)
        {
            return UrlProblem(problem!);
        }

        var now = clock.GetUtcNow();
        var source = new NewSource(
            located.FeedUrl.AbsoluteUri, located.SiteUrl?.AbsoluteUri, settings.Title, located.Feed.Title, settings.Tags,
            settings.Mode, settings.IntervalMinutes, settings.IntervalChosen, settings.Backfill);
        var firstPoll = await poller.FirstPollAsync(Provisional(source, now), located.Fetch, located.Feed, cancellationToken);
        var write = await store.CreateAsync(source, firstPoll, now, cancellationToken);
        if (write.ConflictingId is { } conflicting)
        {
            return AlreadyFollowed(conflicting);
        }

        poller.AfterWrite(write.Source);

        return TypedResults.Created($"/api/sources/{write.Source!.Id}", write.Source.ToResponse());
    }

    public static async Task<Ok<SourceListResponse>> ListSources(SourceStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SourceListResponse([.. (await store.ListAsync(cancellationToken)).Select(s => s.ToResponse())]));

    public static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> GetSource(long id, SourceStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } source ? TypedResults.Ok(source.ToResponse()) : NotFound(id);

    public static async Task<Results<Ok<SourceResponse>, ValidationProblem, ProblemHttpResult>> PatchSource(
        long id, SourcePatch patch, [AsParameters] SourceServices services, CancellationToken cancellationToken)
    {
        var (store, locator, poller, schedule, options, clock) = services;
        var current = await store.GetAsync(id, cancellationToken);
        if (current is null)
        {
            return NotFound(id);
        }

        var input = patch.ApplyTo(current.ToInput());
        var problems = new ProblemList();
        var settings = CheckSettings(input, options.Value, problems);
        var moving = input.Url != current.Url;
        var url = moving ? await OutboundUrlChecks.CheckAsync(input.Url, "url", options.Value.ToOutboundOptions(), problems, cancellationToken) : null;
        if (!problems.IsEmpty || settings is null)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        SourcePollRecord? firstPoll = null;
        if (url is not null)
        {
            if (await store.FindByUrlAsync(url.AbsoluteUri, cancellationToken) is { } existing && existing != id)
            {
                return AlreadyFollowed(existing);
            }

            var (located, problem) = await locator.LocateAsync(url, cancellationToken);
            if (located is null)
            {
                return UrlProblem(problem!);
            }

            // A new feed starts a new backlog; the items the source has seen stay seen.
            var moved = current with
            {
                Url = located.FeedUrl.AbsoluteUri,
                SiteUrl = located.SiteUrl?.AbsoluteUri ?? current.SiteUrl,
                Title = settings.Title,
                Tags = settings.Tags,
                Mode = settings.Mode,
                IntervalMinutes = settings.IntervalMinutes,
                IntervalChosen = settings.IntervalChosen,
                Backfill = settings.Backfill,
                Fetch = new SourceFetchState(),
            };
            firstPoll = await poller.FirstPollAsync(moved, located.Fetch, located.Feed, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var rescheduled = schedule.Reschedule(current, current with { IntervalMinutes = settings.IntervalMinutes, IntervalChosen = settings.IntervalChosen }, now);
        var write = await store.UpdateAsync(id, settings, firstPoll, rescheduled, now, cancellationToken);
        if (write.ConflictingId is { } conflicting)
        {
            return AlreadyFollowed(conflicting);
        }

        poller.AfterWrite(write.Source);
        return write.Source is null ? NotFound(id) : TypedResults.Ok(write.Source.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSource(long id, SourceStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    /// <summary>Polls at once, past the schedule; a stopped source is tried too, and resumes when the poll succeeds.</summary>
    public static async Task<Results<Ok<RefreshResponse>, ProblemHttpResult>> RefreshSource(long id, SourcePoller poller, CancellationToken cancellationToken) =>
        await poller.PollNowAsync(id, cancellationToken) is { Source: { } source } result
            ? TypedResults.Ok(result.ToResponse(source))
            : NotFound(id);

    public static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> ImportOpml(
        HttpRequest request, string? mode, [AsParameters] SourceServices services, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !OpmlMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the OPML document as {string.Join(" or ", OpmlMediaTypes)}.");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        return await ImportDocumentAsync(body.ToArray(), mode, "body", services, cancellationToken);
    }

    /// <summary>Follows every feed of the OPML <paramref name="document"/>, for the API and the desk's upload alike.</summary>
    /// <param name="field">What a problem with the document itself is filed under.</param>
    public static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> ImportDocumentAsync(
        byte[] document, string? mode, string field, SourceServices services, CancellationToken cancellationToken)
    {
        var (store, _, poller, _, options, clock) = services;
        var problems = new ProblemList();
        if (!SourceModeNames.TryParse(mode ?? SourceModeNames.Draft, out var sourceMode))
        {
            problems.Add("mode", "must be \"draft\" or \"publish\".");
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        IReadOnlyList<OpmlOutline> outlines;
        try
        {
            outlines = Opml.ParseOutlines(document);
        }
        catch (FeedParseException e)
        {
            problems.Add(field, e.Message);
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        var plan = await PlanImportAsync(outlines, sourceMode, store, options.Value, cancellationToken);
        var created = (await store.CreateManyAsync([.. plan.Accepted.Select(a => a.Source)], clock.GetUtcNow(), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (created.Count > 0)
        {
            poller.RequestRound();
        }

        // Another request may have followed a feed between the plan and the write.
        var notImported = plan.NotImported
            .Concat(plan.Accepted.Where(a => !created.Contains(a.Source.Url)).Select(a => new NotImportedOutline(a.Position, a.Source.Url, "Already followed.")))
            .OrderBy(n => n.Outline)
            .ToList();
        return TypedResults.Ok(new ImportResponse(outlines.Count, created.Count, notImported.Count, plan.Errors, notImported));
    }

    /// <summary>
    /// Sorts the feed outlines of an import into the sources to add and the outlines left out, each with the reason:
    /// not an http(s) URL, listed earlier in the file, already followed, or refused by the outbound URL check (those
    /// also in <see cref="ImportPlan.Errors"/>).
    /// </summary>
    private static async Task<ImportPlan> PlanImportAsync(
        IReadOnlyList<OpmlOutline> outlines, SourceMode mode, SourceStore store, SourceOptions options, CancellationToken cancellationToken)
    {
        var followed = (await store.ListAsync(cancellationToken)).ToDictionary(s => s.Url, s => s.Id, StringComparer.Ordinal);
        var firstAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var notImported = new ConcurrentBag<NotImportedOutline>();
        var errors = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var fresh = new List<(int Position, OpmlSource Source)>();
        var outbound = options.ToOutboundOptions();
        foreach (var outline in outlines)
        {
            if (outline.Source is not { } source)
            {
                continue;
            }

            var url = source.XmlUrl.AbsoluteUri;
            if (firstAt.TryGetValue(url, out var first))
            {
                notImported.Add(new(outline.Position, outline.XmlUrl, $"Listed already, as outline {first}."));
            }
            else if (followed.TryGetValue(url, out var id))
            {
                firstAt[url] = outline.Position;
                notImported.Add(new(outline.Position, outline.XmlUrl, $"Already followed by source {id}."));
            }
            else
            {
                firstAt[url] = outline.Position;
                fresh.Add((outline.Position, source));
            }
        }

        var accepted = new ConcurrentBag<(int Position, NewSource Source)>();
        var unusable = outlines.Where(o => o.Source is null).Select(o => (o.Position, Written: o.XmlUrl, Source: (OpmlSource?)null));
        await Parallel.ForEachAsync(
            unusable.Concat(fresh.Select(f => (f.Position, Written: f.Source.XmlUrl.AbsoluteUri, Source: (OpmlSource?)f.Source))),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                var (position, written, outline) = entry;
                var check = await OutboundUrl.CheckAsync(written, outbound, token);
                if (!check.IsAcceptable || outline is null)
                {
                    var problem = check.Problem ?? "This is not a valid absolute URL; it should look like https://example.com/feed.xml.";
                    errors.TryAdd(written, problem);
                    notImported.Add(new(position, written, problem));
                    return;
                }

                accepted.Add((position, new NewSource(
                    check.Url!.AbsoluteUri, outline.HtmlUrl?.AbsoluteUri, ImportedTitle(outline.Title), null,
                    TagRules.Acceptable(outline.Categories), mode, options.DefaultIntervalMinutes, IntervalChosen: false, Backfill: false)));
            });

        return new ImportPlan([.. accepted.OrderBy(a => a.Position)], [.. notImported], errors);
    }

    public static async Task<IResult> ExportOpml(SourceStore store, IOptions<PublishingOptions> site, TimeProvider clock, CancellationToken cancellationToken)
    {
        var sources = await store.ListAsync(cancellationToken);
        var document = Opml.Write(
            sources.Select(s => new OpmlSource
            {
                XmlUrl = new Uri(s.Url),
                Title = s.DisplayTitle,
                HtmlUrl = s.SiteUrl is null ? null : new Uri(s.SiteUrl),
                Categories = [.. s.Tags.Select(t => t.Name)],
            }),
            $"Sources followed by {site.Value.Title}",
            clock.GetUtcNow());
        return TypedResults.Text(document, OpmlMediaType + "; charset=utf-8");
    }

    /// <summary>Everything but the URL, with a problem per bad field; null when any field is bad.</summary>
    private static SourceSettings? CheckSettings(SourceInput input, SourceOptions options, ProblemList problems)
    {
        string? title = null;
        if (!string.IsNullOrWhiteSpace(input.Title))
        {
            if (input.Title.Length > PostLimits.MaxTitleLength)
            {
                problems.Add("title", $"must be at most {PostLimits.MaxTitleLength} characters (got {input.Title.Length}).");
            }
            else if (TextRules.Problem(input.Title, allowLineBreaks: false) is { } problem)
            {
                problems.Add("title", problem);
            }
            else
            {
                title = input.Title.Trim();
            }
        }

        var tags = TagRules.Check(input.Tags ?? [], "tags", problems);
        if (!SourceModeNames.TryParse(input.Mode ?? SourceModeNames.Draft, out var mode))
        {
            problems.Add("mode", "must be \"draft\" (new items become drafts) or \"publish\" (they are published at once).");
        }

        var interval = input.IntervalMinutes ?? options.DefaultIntervalMinutes;
        if (interval < options.MinIntervalMinutes || interval > options.MaxIntervalMinutes)
        {
            problems.Add("intervalMinutes", $"must be between {options.MinIntervalMinutes} and {options.MaxIntervalMinutes} minutes.");
        }

        return problems.IsEmpty && tags is not null
            ? new SourceSettings(title, tags, mode, interval, IntervalChosen: input.IntervalMinutes is not null, input.Backfill ?? false)
            : null;
    }

    private static string? ImportedTitle(string? title)
    {
        var line = title is null ? null : QuotedHtml.OneLine(title);
        return string.IsNullOrEmpty(line) || line.Length > PostLimits.MaxTitleLength ? null : line;
    }

    /// <summary>The source as it will be stored, for reading its first document before it exists.</summary>
    private static Source Provisional(NewSource source, DateTimeOffset now) => new()
    {
        Id = 0,
        Url = source.Url,
        SiteUrl = source.SiteUrl,
        Title = source.Title,
        FeedTitle = source.FeedTitle,
        Tags = source.Tags,
        Mode = source.Mode,
        IntervalMinutes = source.IntervalMinutes,
        IntervalChosen = source.IntervalChosen,
        Backfill = source.Backfill,
        CreatedAt = now,
        UpdatedAt = now,
        Fetch = new SourceFetchState(),
    };

    private sealed record ImportPlan(
        IReadOnlyList<(int Position, NewSource Source)> Accepted, IReadOnlyList<NotImportedOutline> NotImported, IReadOnlyDictionary<string, string> Errors);

    private static ValidationProblem UrlProblem(string problem) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [problem] });

    private static ProblemHttpResult AlreadyFollowed(long id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Source already followed",
            detail: $"Source {id} already follows this feed.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { ["url"] = [$"is already followed by source {id}."] },
                ["sourceId"] = id,
            });

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound("Source", $"There is no source with id {id}.");
}
