using System.Text.Json;
using System.Text.Json.Serialization;
using Feeds.Cli.Bookmarks;
using Feeds.Cli.Commands;

namespace Feeds.Cli.Api;

/// <summary>The JSON the tool writes of its own, beside the API's: the editor's post header and the import summary.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PostTextHeader))]
[JsonSerializable(typeof(ImportSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
