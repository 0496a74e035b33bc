using Feeds.Data.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>
/// What the webhook handlers need besides the request itself, bound with <c>[AsParameters]</c>; each member is marked a
/// service, so that no binding takes one for the request body.
/// </summary>
public sealed record WebhookServices(
    [FromServices] WebhookStore Store,
    [FromServices] WebhookDispatcher Dispatcher,
    [FromServices] WebhookSender Sender,
    [FromServices] WebhookRetryPolicy RetryPolicy,
    [FromServices] IOptions<WebhookOptions> Options,
    [FromServices] TimeProvider Clock);
