using Feeds.Data.Webhooks;
using Microsoft.Extensions.Options;

namespace Feeds.Server.Webhooks;

/// <summary>What the webhook handlers need besides the request itself, bound with <c>[AsParameters]</c>.</summary>
public sealed record WebhookServices(
    WebhookStore Store, WebhookDispatcher Dispatcher, WebhookSender Sender, WebhookRetryPolicy RetryPolicy, IOptions<WebhookOptions> Options, TimeProvider Clock);
