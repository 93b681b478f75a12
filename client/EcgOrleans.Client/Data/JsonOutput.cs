using System.Text.Json;

namespace EcgOrleans.Client.Data;

internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
