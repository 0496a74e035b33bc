using System.Text.Json.Nodes;

namespace Feeds.Server.Http;

/// <summary>RFC 7396 JSON Merge Patch: members of the patch replace the target's, <c>null</c> removes them.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name]?.DeepClone(), value);
            }
        }

        return result;
    }
}
