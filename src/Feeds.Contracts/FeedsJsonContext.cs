using System.Text.Json;
using System.Text.Json.Serialization;
using Feeds.Contracts.ActivityPub;
using Feeds.Contracts.Posts;
using Feeds.Contracts.Problems;
using Feeds.Contracts.Sources;
using Feeds.Contracts.Tags;
using Feeds.Contracts.Tokens;
using Feeds.Contracts.Webhooks;
using Feeds.Contracts.WebSub;

namespace Feeds.Contracts;

/// <summary>
/// The API's JSON, generated at build time. Its options are the server's: camelCase names, and a misspelt field or a
/// field given twice refused rather than dropped or read as whichever came last.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(PostInput))]
[JsonSerializable(typeof(List<PostInput>))]
[JsonSerializable(typeof(PostPatch))]
[JsonSerializable(typeof(PostResponse))]
[JsonSerializable(typeof(PostListResponse))]
[JsonSerializable(typeof(PostBatchRequest))]
[JsonSerializable(typeof(PostBatchResponse))]
[JsonSerializable(typeof(TagResponse[]))]
[JsonSerializable(typeof(RenameTagRequest))]
[JsonSerializable(typeof(RenameTagResponse))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreatedTokenResponse))]
[JsonSerializable(typeof(TokenResponse[]))]
[JsonSerializable(typeof(SourceInput))]
[JsonSerializable(typeof(SourcePatch))]
[JsonSerializable(typeof(SourceResponse))]
[JsonSerializable(typeof(SourceListResponse))]
[JsonSerializable(typeof(RefreshResponse))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(WebhookInput))]
[JsonSerializable(typeof(WebhookPatch))]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(WebhookWithSecretResponse))]
[JsonSerializable(typeof(WebhookListResponse))]
[JsonSerializable(typeof(WebhookMessageListResponse))]
[JsonSerializable(typeof(WebhookAttemptListResponse))]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(ReplayResponse))]
[JsonSerializable(typeof(WebSubSubscriptionListResponse))]
[JsonSerializable(typeof(FollowerListResponse))]
[JsonSerializable(typeof(ProblemResponse))]
public sealed partial class FeedsJsonContext : JsonSerializerContext;
