using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Feeds.Contracts;

/// <summary>The contracts' metadata for the server's and the CLI's serializer options, in one place.</summary>
public static class FeedsJson
{
    /// <summary>
    /// <see cref="FeedsJsonContext"/>, writing of a <see cref="MergePatch"/> only the members it names: left out keeps a
    /// field, null removes it, and no ignore condition can tell those apart.
    /// </summary>
    public static IJsonTypeInfoResolver Resolver { get; } = FeedsJsonContext.Default.WithAddedModifier(WriteOnlyGivenMembers);

    /// <summary>The server's options with <see cref="Resolver"/>: what a client writes requests and reads answers with.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(FeedsJsonContext.Default.Options) { TypeInfoResolver = Resolver };
        options.MakeReadOnly();
        return options;
    }

    private static void WriteOnlyGivenMembers(JsonTypeInfo type)
    {
        if (!type.Type.IsAssignableTo(typeof(MergePatch)))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            var member = property.AttributeProvider is MemberInfo info ? info.Name : property.Name;
            property.ShouldSerialize = (patch, _) => ((MergePatch)patch).IsGiven(member);
        }
    }
}
