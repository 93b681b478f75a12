namespace EcgOrleans.Signal.Beats;

/// <summary>The record splits of the MIT-BIH Arrhythmia Database used in the literature.</summary>
public static class DatasetSplits
{
    /// <summary>de Chazal et al. (2004) training set.</summary>
    public static IReadOnlyList<string> Ds1 { get; } =
        ["101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230"];

    /// <summary>de Chazal et al. (2004) test set.</summary>
    public static IReadOnlyList<string> Ds2 { get; } =
        ["100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210", "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234"];

    /// <summary>Records with paced beats, left out of both DS1 and DS2.</summary>
    public static IReadOnlyList<string> Paced { get; } = ["102", "104", "107", "217"];

    /// <summary>All 48 records of the database, in numeric order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Ds1.Concat(Ds2).Concat(Paced).Order(StringComparer.Ordinal)];

    /// <summary>The names <see cref="Named"/> takes, in the order options list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ds1", "ds2", "paced", "all"];

    /// <summary>Whether <paramref name="split"/> names a split (case-insensitive).</summary>
    public static bool IsName(string split) => Names.Contains(split.ToLowerInvariant());

    /// <summary>Records of a named split: "ds1", "ds2", "paced" or "all".</summary>
    public static IReadOnlyList<string> Named(string split) => split.ToLowerInvariant() switch
    {
        "ds1" => Ds1,
        "ds2" => Ds2,
        "paced" => Paced,
        "all" => All,
        _ => throw new ArgumentException($"unknown split '{split}': use {string.Join(", ", Names.Take(Names.Count - 1))} or {Names[^1]}", nameof(split)),
    };

    /// <summary>
    /// Intra-patient split: a stratified random split of beat indices, the same fraction of every class
    /// going to the test part. Deterministic for a seed. Returns (train, test) index lists.
    /// </summary>
    public static (List<int> Train, List<int> Test) StratifiedSplit(IReadOnlyList<AamiClass> labels, double testFraction, int seed)
    {
        if (testFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "must lie strictly between 0 and 1");
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            var testCount = (int)Math.Round(indices.Length * testFraction);
            test.AddRange(indices[..testCount]);
            train.AddRange(indices[testCount..]);
        }
        train.Sort();
        test.Sort();
        return (train, test);
    }
}
