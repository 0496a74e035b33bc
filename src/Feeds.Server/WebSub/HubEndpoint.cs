using System.Globalization;
using System.Text;
using Feeds.Core.Posts;
using Feeds.Core.WebSub;
using Feeds.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Feeds.Server.WebSub;

/// <summary>
/// The built-in hub, <c>POST /websub</c> (WebSub section 5.1): a subscriber asks to subscribe a callback to a topic
/// (one of this site's feeds) or to unsubscribe it, as <c>application/x-www-form-urlencoded</c>. A well-formed
/// request is answered <c>202 Accepted</c> and acted on afterwards: verified with the callback, or denied. A malformed
/// one is <c>400</c> naming the parameter; a callback host asking too often is <c>429</c>.
/// </summary>
public static class HubEndpoint
{
    public static IEndpointRouteBuilder MapWebSubHub(this IEndpointRouteBuilder app)
    {
        app.MapPost("/websub", Subscribe).WithName("WebSubHub").WithTags("WebSub")
            .WithSummary("WebSub hub: subscribe or unsubscribe a callback to one of this site's feeds (form-encoded hub.mode, hub.topic, hub.callback, hub.lease_seconds, hub.secret).")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> Subscribe(
        HttpRequest request, [AsParameters] WebSubServices services, CancellationToken cancellationToken)
    {
        var options = services.Options.Value;
        if (options.ExternalHub is { } external)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No hub here",
                detail: $"This site's feeds use the hub at {external}.");
        }

        var problems = new ProblemList();
        if (!request.HasFormContentType)
        {
            problems.Add("body", "must be application/x-www-form-urlencoded, with hub.mode, hub.topic and hub.callback.");
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var mode = Single(form, "hub.mode", problems);
        if (mode is not null and not (HubModes.Subscribe or HubModes.Unsubscribe))
        {
            problems.Add("hub.mode", "must be 'subscribe' or 'unsubscribe'.");
        }

        var topicUrl = Single(form, "hub.topic", problems);
        if (topicUrl is not null && !Uri.TryCreate(topicUrl, UriKind.Absolute, out _))
        {
            problems.Add("hub.topic", "must be an absolute URL.");
        }

        var callbackText = Single(form, "hub.callback", problems);
        Uri? callback = null;
        if (callbackText is not null)
        {
            if (!Uri.TryCreate(callbackText, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add("hub.callback", "must be an absolute http or https URL.");
            }
            else if (!services.RateLimiter.TryAcquire(parsed.IdnHost))
            {
                // Counted before the address is looked up, so a flood costs no DNS queries either.
                request.HttpContext.Response.Headers.RetryAfter = "60";
                return TooMany(parsed.IdnHost, options);
            }
            else
            {
                callback = await OutboundUrlChecks.CheckAsync(callbackText, "hub.callback", options.ToOutboundOptions(1), problems, cancellationToken);
            }
        }

        var lease = Lease(form, options, problems);
        var secret = Optional(form, "hub.secret", problems);
        if (secret is not null && Encoding.UTF8.GetByteCount(secret) > HubSignature.MaxSecretBytes)
        {
            problems.Add("hub.secret", $"must be less than {HubSignature.MaxSecretBytes + 1} bytes.");
        }

        if (!problems.IsEmpty)
        {
            return TypedResults.ValidationProblem(problems.ToDictionary());
        }

        var (topic, problem) = await services.Topics.ResolveAsync(topicUrl!, cancellationToken);
        var intent = mode == HubModes.Subscribe && topic is null
            ? new IntentRequest(mode!, topicUrl!, null, callback!, null, lease, DenialReason: problem)
            : new IntentRequest(mode!, topicUrl!, topic, callback!, string.IsNullOrEmpty(secret) ? null : secret, lease);
        if (!services.Verifier.TryQueue(intent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Hub busy",
                detail: "Too many subscription requests are waiting; ask again in a minute.");
        }

        return TypedResults.Accepted((string?)null);
    }

    /// <summary>The lease granted: the one asked for within the configured bounds, else the default (section 5.1: the hub decides).</summary>
    private static int Lease(IFormCollection form, WebSubOptions options, ProblemList problems)
    {
        var text = Optional(form, "hub.lease_seconds", problems);
        if (text is null)
        {
            return options.DefaultLeaseSeconds;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) || asked <= 0)
        {
            problems.Add("hub.lease_seconds", "must be a whole number of seconds above 0.");
            return 0;
        }

        return (int)Math.Clamp(asked, options.MinLeaseSeconds, options.MaxLeaseSeconds);
    }

    private static string? Single(IFormCollection form, string name, ProblemList problems)
    {
        var value = Optional(form, name, problems);
        if (string.IsNullOrEmpty(value) && form[name].Count <= 1)
        {
            problems.Add(name, "is required.");
            return null;
        }

        return value;
    }

    private static string? Optional(IFormCollection form, string name, ProblemList problems)
    {
        var values = form[name];
        if (values.Count > 1)
        {
            problems.Add(name, "must be given once.");
            return null;
        }

        return values.Count == 0 ? null : values[0];
    }

    private static ProblemHttpResult TooMany(string host, WebSubOptions options) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many subscription requests",
            detail: $"Callbacks at {host} may ask {options.RequestsPerMinutePerCallbackHost} times a minute; ask again in a minute.");
}
