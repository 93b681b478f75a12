using EcgOrleans.Ml.Models;
using Mono.Cecil;
using Mono.Cecil.Cil;
using TorchSharp;

namespace EcgOrleans.Ml.Tests.Runtime;

/// <summary>
/// TorchSharp 0.107 turns numbers into <see cref="Scalar"/> objects implicitly (the alpha of every tensor + and -,
/// <c>x * 0.5</c>, a clamp bound) and passes only their native handle to LibTorch. Nothing keeps such a Scalar
/// reachable during the native call, so a garbage collection on another thread may finalize it, and free the native
/// scalar, while LibTorch still reads it: "Expected false to be true … toFloat at c10/core/Scalar.h" or "Unknown
/// scalar type" under parallel load (<c>dotnet run -c Release --project bench/EcgOrleans.Experiments -- scalar-race</c>
/// shows it). The library therefore makes every Scalar it passes explicitly and keeps it
/// alive (<see cref="EcgOrleans.Ml.Runtime.TorchScalars"/>). This test reads the library's IL and fails on any call
/// that makes a Scalar nobody holds: an implicit conversion, or a TorchSharp method that makes one inside.
/// </summary>
public sealed class ScalarLifetimeTests
{
    private static readonly Lazy<HashSet<string>> UnheldScalarMakers = new(FindUnheldScalarMakers);

    [Fact]
    public void The_library_passes_no_scalar_that_nothing_keeps_alive()
    {
        var offences = Offences(typeof(BeatClassifier).Assembly.Location).ToList();

        Assert.True(offences.Count == 0,
            $"{offences.Count} calls make a TorchSharp Scalar that the garbage collector may free during the native call; use TorchScalars:\n"
            + string.Join("\n", offences));
    }

    [Fact]
    public void The_scan_finds_the_scalars_that_tensor_operators_make()
    {
        // What the scan relies on: TorchSharp's tensor + makes its alpha implicitly, and the explicit overload does not.
        Assert.Contains(UnheldScalarMakers.Value, m => m.Contains("Tensor::op_Addition(TorchSharp.torch/Tensor,TorchSharp.torch/Tensor)"));
        Assert.Contains(UnheldScalarMakers.Value, m => m.Contains("Tensor::add(TorchSharp.torch/Tensor)"));
        Assert.DoesNotContain(UnheldScalarMakers.Value, m => m.Contains("Tensor::add(TorchSharp.torch/Tensor,TorchSharp.Scalar)"));
        // Through a virtual call: TorchSharp's Adam makes its step's Scalars implicitly, and the trainer called it as
        // Optimizer.step().
        Assert.Contains(UnheldScalarMakers.Value, m => m.Contains("Optimizer::step("));
    }

    [Fact]
    public void The_scan_reports_an_implicit_conversion_in_a_method_of_ours()
    {
        var offences = Offences(typeof(ScalarLifetimeTests).Assembly.Location).ToList();

        Assert.Contains(offences, o => o.Contains(nameof(ImplicitScalarOnPurpose)));
        Assert.DoesNotContain(offences, o => o.Contains(nameof(HeldScalarOnPurpose)));
    }

    // Scanned by The_scan_reports_an_implicit_conversion_in_a_method_of_ours: one method that offends and one that does not.
    private static torch.Tensor ImplicitScalarOnPurpose(torch.Tensor x) => x * 0.5;

    private static torch.Tensor HeldScalarOnPurpose(torch.Tensor x, Scalar half) => x.mul(half);

    private static IEnumerable<string> Offences(string assemblyPath)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        foreach (var type in AllTypes(assembly.MainModule))
        foreach (var method in type.Methods.Where(m => m.HasBody))
        foreach (var call in Calls(method))
        {
            var callee = call.FullName;
            if (IsImplicitScalarConversion(call) || UnheldScalarMakers.Value.Contains(callee))
                yield return $"  {type.FullName}::{method.Name} calls {callee}";
        }
    }

    /// <summary>
    /// TorchSharp methods that make a Scalar and never dispose it, directly or through another such method; a method
    /// that disposes a Scalar is taken to hold the ones it makes.
    /// </summary>
    private static HashSet<string> FindUnheldScalarMakers()
    {
        using var torchSharp = AssemblyDefinition.ReadAssembly(typeof(torch).Assembly.Location);
        var methods = AllTypes(torchSharp.MainModule).SelectMany(t => t.Methods).Where(m => m.HasBody).ToList();
        var calls = methods.ToDictionary(m => m.FullName, m => Calls(m).ToList());
        var makers = methods
            .Where(m => calls[m.FullName].Any(IsImplicitScalarConversion) && !calls[m.FullName].Any(IsScalarDispose))
            .Select(m => m.FullName)
            .ToHashSet();
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var method in methods)
            {
                if (!makers.Contains(method.FullName) && !calls[method.FullName].Any(IsScalarDispose)
                    && calls[method.FullName].Any(c => makers.Contains(c.FullName)))
                    grew = makers.Add(method.FullName);
                // A call to a virtual method reaches its overrides (optimizer.step() runs Adam's step).
                if (makers.Contains(method.FullName))
                    foreach (var overridden in Overridden(method))
                        grew |= makers.Add(overridden.FullName);
            }
        }
        return makers;
    }

    /// <summary>The base-class methods that <paramref name="method"/> overrides.</summary>
    private static IEnumerable<MethodDefinition> Overridden(MethodDefinition method)
    {
        if (!method.IsVirtual || method.IsNewSlot) yield break;
        for (var type = method.DeclaringType.BaseType?.Resolve(); type is not null; type = type.BaseType?.Resolve())
        {
            var match = type.Methods.FirstOrDefault(m => m.IsVirtual && m.Name == method.Name
                && m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(method.Parameters.Select(p => p.ParameterType.FullName)));
            if (match is null) continue;
            yield return match;
            if (match.IsNewSlot) yield break;
        }
    }

    private static bool IsImplicitScalarConversion(MethodReference call) =>
        call.Name == "op_Implicit" && call.ReturnType.FullName == "TorchSharp.Scalar";

    private static bool IsScalarDispose(MethodReference call) =>
        call.Name == "Dispose" && call.DeclaringType.FullName == "TorchSharp.Scalar";

    private static IEnumerable<MethodReference> Calls(MethodDefinition method) =>
        method.Body.Instructions
            .Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn)
            .Select(i => i.Operand)
            .OfType<MethodReference>();

    private static IEnumerable<TypeDefinition> AllTypes(ModuleDefinition module)
    {
        foreach (var type in module.Types)
        foreach (var nested in WithNested(type))
            yield return nested;
    }

    private static IEnumerable<TypeDefinition> WithNested(TypeDefinition type)
    {
        yield return type;
        foreach (var nested in type.NestedTypes.SelectMany(WithNested)) yield return nested;
    }
}
