using YamlDotNet.RepresentationModel;

namespace EcgOrleans.Deploy.Tests;

/// <summary>Small navigation helpers over YamlDotNet's representation model.</summary>
internal static class Yaml
{
    public static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || Lookup(map, key) is not { } next) return null;
            current = next;
        }
        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children : [];

    public static Dictionary<string, string> Map(this YamlNode node, params string[] path)
    {
        var result = new Dictionary<string, string>();
        if (node.At(path) is YamlMappingNode map) Flatten(map, result);
        return result;
    }

    private static readonly YamlScalarNode MergeKey = new("<<");

    /// <summary>A key's value, looking through YAML merge keys ("&lt;&lt;: *anchor") as compose files use them.</summary>
    private static YamlNode? Lookup(YamlMappingNode map, string key)
    {
        if (map.Children.TryGetValue(new YamlScalarNode(key), out var value)) return value;
        return map.Children.TryGetValue(MergeKey, out var merged) && merged is YamlMappingNode parent ? Lookup(parent, key) : null;
    }

    private static void Flatten(YamlMappingNode map, Dictionary<string, string> into)
    {
        if (map.Children.TryGetValue(MergeKey, out var merged) && merged is YamlMappingNode parent) Flatten(parent, into);
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name != "<<") into[name] = (value as YamlScalarNode)?.Value ?? "";
        }
    }
}
