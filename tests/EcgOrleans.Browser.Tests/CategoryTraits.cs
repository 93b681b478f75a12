// Every test here drives a headless Chromium: none belongs to the unit run.
[assembly: AssemblyTrait("Category", "Browser")]

namespace EcgOrleans.Browser.Tests;

/// <summary>Every test here that reads MIT-BIH carries the Data trait, so that the unit run does without it.</summary>
public sealed class CategoryTraits : CategoryTraitChecks;
