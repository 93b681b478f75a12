// Every test here starts silo processes (and Redis): none belongs to the unit run.
[assembly: AssemblyTrait("Category", "Cluster")]

namespace EcgOrleans.Cluster.Tests;

/// <summary>Every test here that reads MIT-BIH carries the Data trait, so that the unit run does without it.</summary>
public sealed class CategoryTraits : CategoryTraitChecks;
