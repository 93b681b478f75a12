using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Tests;

/// <summary>What <c>ecg CMD --help</c> says of every option: what it does and, when it has one, its default.</summary>
public sealed class OptionHelpTests
{
    /// <summary>Defaults that depend on the machine: the description names how they are chosen, not a number.</summary>
    private static readonly HashSet<string> MachineDefaults = ["--threads", "--cores"];

    private static List<string> SettingsTypes() =>
        [.. typeof(EcgApp).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => t.FullName!)];

    public static TheoryData<string> Settings() => [.. SettingsTypes()];

    private static IEnumerable<(string Name, PropertyInfo Property, string? Description)> Options(Type settings) =>
        settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Option: p.GetCustomAttribute<CommandOptionAttribute>(), Argument: p.GetCustomAttribute<CommandArgumentAttribute>()))
            .Where(o => o.Option is not null || o.Argument is not null)
            .Select(o => (o.Option?.LongNames.FirstOrDefault() is { } name ? "--" + name : o.Argument!.ValueName, o.Property,
                o.Property.GetCustomAttribute<DescriptionAttribute>()?.Description));

    [Fact]
    public void Every_command_settings_type_is_walked()
    {
        var settings = SettingsTypes();
        Assert.Contains("EcgOrleans.Client.Commands.Cluster.IngestSettings", settings);
        Assert.Contains("EcgOrleans.Client.Commands.Offline.TrainSettings", settings);
        Assert.True(settings.Count >= 16, $"{settings.Count} settings types");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_option_has_a_description(string settings)
    {
        var missing = Options(Type.GetType(settings + ", ecg")!).Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, $"{settings}: no description for {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void An_option_with_a_default_names_it(string settings)
    {
        var type = Type.GetType(settings + ", ecg")!;
        var instance = Activator.CreateInstance(type)!;
        var wrong = new List<string>();
        foreach (var (name, property, description) in Options(type))
        {
            var value = property.GetValue(instance);
            if (value is null or false || (value is IConvertible c && value is not string && c.ToDouble(CultureInfo.InvariantCulture) == 0)) continue;
            if (value is string { Length: 0 } or Array { Length: 0 }) continue;
            var text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            var named = description is not null && description.Contains("default", StringComparison.OrdinalIgnoreCase) &&
                (MachineDefaults.Contains(name) || description.Contains(text, StringComparison.OrdinalIgnoreCase));
            if (!named) wrong.Add($"{name} (default {text}): \"{description}\"");
        }
        Assert.True(wrong.Count == 0, $"{settings}: {string.Join("; ", wrong)}");
    }
}
