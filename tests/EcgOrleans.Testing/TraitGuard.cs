using System.Runtime.CompilerServices;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EcgOrleans.Tests;

/// <summary>
/// The unit run (<c>dotnet test --filter "Category!=Data&amp;..."</c>) must never need MIT-BIH: every test that reaches
/// <see cref="TestData.MitBihDirectory"/> carries <c>[Trait("Category", "Data")]</c>, on itself, its class or its
/// assembly. A test class deriving from this one checks that on its own assembly.
/// </summary>
public abstract class CategoryTraitChecks
{
    [Fact]
    public void Tests_that_read_MIT_BIH_carry_the_Data_trait()
    {
        var missing = TraitGuard.ReadingMitBihWithoutDataTrait(GetType().Assembly.Location);
        Assert.True(missing.Count == 0,
            $"these tests read TestData.MitBihDirectory without [Trait(\"Category\", \"Data\")]:\n  {string.Join("\n  ", missing)}");
    }
}

/// <summary>
/// Finds, by reading a test assembly's IL, the tests that reach <see cref="TestData.MitBihDirectory"/>: through calls
/// and lambdas, static fields (their static constructor), async and iterator bodies, their class's constructors,
/// fixtures taken by the constructor, and theory data. Only code in the test assembly itself is followed.
/// </summary>
public static class TraitGuard
{
    public const string Category = "Category";
    public const string Data = "Data";

    /// <summary>Every test method (as Class.Method) that reads MIT-BIH and lacks the Data trait.</summary>
    public static IReadOnlyList<string> ReadingMitBihWithoutDataTrait(string assemblyPath)
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(assemblyPath)!);
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath, new ReaderParameters { AssemblyResolver = resolver });
        var module = assembly.MainModule;
        var methods = module.GetTypes().SelectMany(t => t.Methods).ToList();
        var edges = methods.ToDictionary(m => m, m => Reached(m, module).ToHashSet());
        var reading = methods.Where(m => m.HasBody && ReadsMitBih(m)).ToHashSet();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var method in methods)
            {
                if (!reading.Contains(method) && edges[method].Any(reading.Contains)) changed |= reading.Add(method);
            }
        }

        var assemblyHasTrait = HasDataTrait(assembly);
        var missing = new List<string>();
        foreach (var type in module.GetTypes().Where(t => !t.IsAbstract))
        {
            if (assemblyHasTrait || HasDataTrait(type)) continue;
            var setup = ClassSetup(type, module).ToList();
            foreach (var test in AllMethods(type).Where(m => IsTest(m) && !HasDataTrait(m)))
            {
                if (setup.Concat(TheoryData(test, type, module)).Prepend(test).Any(reading.Contains))
                    missing.Add($"{type.FullName}.{test.Name}");
            }
        }
        return missing;
    }

    private static bool ReadsMitBih(MethodDefinition method) =>
        method.Body.Instructions.Any(i => i.Operand is MethodReference { Name: "get_MitBihDirectory" } m
            && m.DeclaringType.FullName == typeof(TestData).FullName);

    /// <summary>The methods of this module that running <paramref name="method"/> may run next.</summary>
    private static IEnumerable<MethodDefinition> Reached(MethodDefinition method, ModuleDefinition module)
    {
        // Async and iterator methods only build their state machine: its MoveNext holds the body.
        foreach (var attribute in method.CustomAttributes)
        {
            if (attribute.AttributeType.Name is nameof(AsyncStateMachineAttribute) or nameof(IteratorStateMachineAttribute) or "AsyncIteratorStateMachineAttribute"
                && attribute.ConstructorArguments[0].Value is TypeReference machine && Local(machine, module) is { } type)
            {
                foreach (var m in type.Methods) yield return m;
            }
        }
        if (!method.HasBody) yield break;
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case MethodReference reference when Local(reference, module) is { } target:
                    yield return target;
                    if (instruction.OpCode == OpCodes.Newobj && StaticConstructor(target.DeclaringType) is { } ctor) yield return ctor;
                    break;
                case FieldReference field when instruction.OpCode == OpCodes.Ldsfld || instruction.OpCode == OpCodes.Ldsflda || instruction.OpCode == OpCodes.Stsfld:
                    if (Local(field.DeclaringType, module) is { } owner && StaticConstructor(owner) is { } cctor) yield return cctor;
                    break;
            }
        }
    }

    /// <summary>What runs before any test of the class: its constructors and static constructor, and its fixtures'.</summary>
    private static IEnumerable<MethodDefinition> ClassSetup(TypeDefinition type, ModuleDefinition module)
    {
        for (var t = type; t is not null; t = t.BaseType is { } b ? Local(b, module) : null)
        {
            foreach (var ctor in t.Methods.Where(m => m.IsConstructor))
            {
                yield return ctor;
                foreach (var parameter in ctor.Parameters)
                {
                    if (Local(parameter.ParameterType, module) is { } fixture)
                    {
                        foreach (var m in AllMethods(fixture)) yield return m;
                    }
                }
            }
        }
    }

    /// <summary>The members a theory's [MemberData] and [ClassData] name.</summary>
    private static IEnumerable<MethodDefinition> TheoryData(MethodDefinition test, TypeDefinition type, ModuleDefinition module)
    {
        foreach (var attribute in test.CustomAttributes)
        {
            if (attribute.AttributeType.Name == "ClassDataAttribute" && attribute.ConstructorArguments[0].Value is TypeReference data
                && Local(data, module) is { } dataType)
            {
                foreach (var m in AllMethods(dataType)) yield return m;
            }
            if (attribute.AttributeType.Name != "MemberDataAttribute" || attribute.ConstructorArguments[0].Value is not string name) continue;
            var owner = attribute.Properties.FirstOrDefault(p => p.Name == "MemberType").Argument.Value is TypeReference t ? Local(t, module) : type;
            for (var o = owner; o is not null; o = o.BaseType is { } b ? Local(b, module) : null)
            {
                foreach (var m in o.Methods.Where(m => m.Name == name || m.Name == "get_" + name || m.IsConstructor && m.IsStatic)) yield return m;
            }
        }
    }

    private static IEnumerable<MethodDefinition> AllMethods(TypeDefinition type) =>
        type.Methods.Concat(type.NestedTypes.SelectMany(AllMethods))
            .Concat(type.BaseType is { Scope: ModuleDefinition } b && b.Resolve() is { } baseType ? AllMethods(baseType) : []);

    private static bool IsTest(MethodDefinition method) =>
        method.CustomAttributes.Any(a => IsTestAttribute(a.AttributeType));

    private static bool IsTestAttribute(TypeReference? type)
    {
        for (var depth = 0; type is not null && depth < 8; depth++)
        {
            if (type.FullName == "Xunit.FactAttribute") return true;
            type = Resolve(type)?.BaseType;
        }
        return false;
    }

    private static bool HasDataTrait(ICustomAttributeProvider provider) =>
        provider.CustomAttributes.Any(a => a.AttributeType.FullName is "Xunit.TraitAttribute" or "Xunit.AssemblyTraitAttribute"
            && a.ConstructorArguments.Count == 2
            && a.ConstructorArguments[0].Value as string == Category && a.ConstructorArguments[1].Value as string == Data);

    private static MethodDefinition? StaticConstructor(TypeDefinition type) => type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic);

    private static MethodDefinition? Local(MethodReference reference, ModuleDefinition module) =>
        reference.GetElementMethod() is { } element && element.DeclaringType.Scope == module ? Resolve(element) : null;

    private static TypeDefinition? Local(TypeReference reference, ModuleDefinition module) =>
        reference.GetElementType() is { } element && element.Scope == module ? Resolve(element) : null;

    private static MethodDefinition? Resolve(MethodReference reference)
    {
        try
        {
            return reference.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    private static TypeDefinition? Resolve(TypeReference reference)
    {
        try
        {
            return reference.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
