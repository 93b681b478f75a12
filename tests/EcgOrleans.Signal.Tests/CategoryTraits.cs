namespace EcgOrleans.Signal.Tests;

/// <summary>Every test here that reads MIT-BIH carries the Data trait, so that the unit run does without it.</summary>
public sealed class CategoryTraits : CategoryTraitChecks;
