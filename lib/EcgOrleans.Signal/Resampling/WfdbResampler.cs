using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Resampling;

/// <summary>How <see cref="WfdbResampler.ResampleFiles"/> names and fills the copy.</summary>
public sealed record WfdbResampleOptions
{
    /// <summary>Record name of the copy; null keeps the source's name (then the output folder must differ).</summary>
    public string? OutputName { get; init; }

    /// <summary>Annotators to carry over; null carries <c>atr</c> when the record has it. A listed annotator must exist.</summary>
    public IReadOnlyList<string>? Annotators { get; init; }

    /// <summary>Carry over the annotations of a cut annotation file (with a warning) instead of failing.</summary>
    public bool KeepGoingWhenTruncated { get; init; }
}

/// <summary>What <see cref="WfdbResampler.ResampleFiles"/> wrote.</summary>
/// <param name="Header">The copy's header, as written.</param>
/// <param name="Files">The files written, header first.</param>
/// <param name="Annotations">Annotations written per annotator (every one read is written).</param>
/// <param name="Warnings">The annotation reader's warnings (cut files, annotations past the end), each naming its file.</param>
public sealed record WfdbResampleResult(
    RecordHeader Header, IReadOnlyList<string> Files, IReadOnlyDictionary<string, int> Annotations, IReadOnlyList<string> Warnings);

/// <summary>
/// A WFDB copy of a record at another sampling rate: every signal through <see cref="RationalResampler"/>, the header's
/// frequency and sample count updated, and every annotation kept, its time moved to round(t × new / old).
/// Signals stay in format 212 when they were (clamped to its range), and are written in format 16 otherwise, their
/// gain, baseline and ADC zero scaled down by a power of two if the values would not fit 16 bits. Missing samples
/// stay missing: an output sample is marked missing when a missing input sample lies less than one sampling period
/// (input or output, whichever is longer) from it; the filter reads across a gap as if the last valid value had held.
/// </summary>
public static class WfdbResampler
{
    /// <summary>The record resampled to <paramref name="frequency"/> Hz, in memory, named <paramref name="name"/> (default: the same).</summary>
    public static WfdbRecord Resample(WfdbRecord record, double frequency, string? name = null) =>
        Resample(record, new RationalResampler(record.Header.SamplingFrequency, frequency), name ?? record.Name);

    private static WfdbRecord Resample(WfdbRecord record, RationalResampler resampler, string name)
    {
        var frequency = resampler.ToFrequency;
        var fileNames = record.Header.Signals.Select(s => s.FileName).Distinct(StringComparer.Ordinal)
            .Select((file, i) => (file, renamed: i == 0 ? $"{name}.dat" : $"{name}_{i}.dat"))
            .ToDictionary(p => p.file, p => p.renamed, StringComparer.Ordinal);

        var specs = new SignalSpec[record.Header.SignalCount];
        var digital = new int[specs.Length][];
        for (var s = 0; s < specs.Length; s++)
        {
            var spec = record.Header.Signals[s];
            var (values, missing) = Filtered(resampler, record.Digital[s], spec.InvalidSample);
            (specs[s], digital[s]) = Quantised(spec with { FileName = fileNames[spec.FileName] }, values, missing);
        }
        var header = record.Header with
        {
            Name = name,
            SamplingFrequency = frequency,
            // A counter frequency that equals the sampling frequency is the header's default: it follows the new rate.
            CounterFrequency = record.Header.CounterFrequency == record.Header.SamplingFrequency ? frequency : record.Header.CounterFrequency,
            Signals = specs,
        };
        var annotations = record.Annotations.Select(a => a with { Sample = resampler.MapSample(a.Sample) }).ToList();
        return new WfdbRecord(WfdbWriter.Complete(header, digital), digital, annotations);
    }

    /// <summary>
    /// Reads <c>sourceDirectory/record</c>, resamples it to <paramref name="frequency"/> Hz and writes the copy (header,
    /// signal files and annotation files) to <paramref name="outputDirectory"/>.
    /// </summary>
    public static WfdbResampleResult ResampleFiles(
        string sourceDirectory, string record, string outputDirectory, double frequency, WfdbResampleOptions? options = null)
    {
        options ??= new WfdbResampleOptions();
        var name = options.OutputName ?? record;
        if (name == record && Path.GetFullPath(sourceDirectory) == Path.GetFullPath(outputDirectory))
            throw new ArgumentException($"the copy of {record} would overwrite it: give another output folder or name", nameof(outputDirectory));

        var source = WfdbRecord.Read(sourceDirectory, record, annotator: null);
        var annotators = options.Annotators
            ?? (File.Exists(Path.Combine(sourceDirectory, $"{record}.atr")) ? ["atr"] : []);
        var readOptions = new AnnotationReadOptions
        {
            KeepGoingWhenTruncated = options.KeepGoingWhenTruncated,
            SamplingFrequency = source.Header.SamplingFrequency,
            SignalLength = source.SampleCount,
        };
        // Every annotation file is read before anything is written, so a bad one leaves no half-made copy.
        var annotationFiles = annotators.Select(a => (Annotator: a, File: AnnotationReader.ReadFile(sourceDirectory, record, a, readOptions))).ToList();

        var resampler = new RationalResampler(source.Header.SamplingFrequency, frequency);
        var copy = Resample(source, resampler, name);
        var header = WfdbWriter.WriteSignals(outputDirectory, copy.Header, copy.Digital);
        var files = new List<string> { $"{name}.hea" };
        files.AddRange(header.Signals.Select(s => s.FileName).Distinct(StringComparer.Ordinal));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (annotator, file) in annotationFiles)
        {
            var moved = file.Annotations.Select(a => a with { Sample = resampler.MapSample(a.Sample) }).ToList();
            WfdbWriter.WriteAnnotations(outputDirectory, name, moved, annotator);
            files.Add($"{name}.{annotator}");
            counts[annotator] = moved.Count;
        }
        return new WfdbResampleResult(header, files, counts, [.. annotationFiles.SelectMany(a => a.File.Warnings)]);
    }

    /// <summary>The signal resampled, with missing samples bridged by the last valid value and flagged in the output.</summary>
    private static (double[] Values, bool[] Missing) Filtered(RationalResampler resampler, int[] digital, int invalid)
    {
        var input = new double[digital.Length];
        var missingBefore = new int[digital.Length + 1]; // prefix counts of missing input samples
        var held = digital.FirstOrDefault(v => v != invalid);
        for (var i = 0; i < digital.Length; i++)
        {
            var gap = digital[i] == invalid;
            if (!gap) held = digital[i];
            input[i] = held;
            missingBefore[i + 1] = missingBefore[i] + (gap ? 1 : 0);
        }
        var values = resampler.Process(input);
        var missing = new bool[values.Length];
        if (missingBefore[^1] == 0) return (values, missing);

        var (up, down) = (resampler.Up, resampler.Down);
        var reach = Math.Max(1.0, (double)down / up);
        for (var k = 0; k < values.Length; k++)
        {
            var at = (double)k * down / up; // the output instant in input samples
            var from = (int)Math.Clamp(Math.Floor(at - reach) + 1, 0, digital.Length);
            var to = (int)Math.Clamp(Math.Ceiling(at + reach), 0, digital.Length); // exclusive
            missing[k] = missingBefore[to] - missingBefore[from] > 0;
        }
        return (values, missing);
    }

    /// <summary>Rounds to integers in the output format: 212 when the source was 212, else 16 (scaled to fit).</summary>
    private static (SignalSpec Spec, int[] Digital) Quantised(SignalSpec spec, double[] values, bool[] missing)
    {
        var format = spec.Format == 212 ? 212 : 16;
        // The lowest value of each format marks a missing sample: real values stop one above it.
        var (min, max) = format == 212 ? (-2047, 2047) : (-32767, 32767);
        var shift = 0;
        if (format == 16)
        {
            var peak = values.Where((_, i) => !missing[i]).Select(v => Math.Abs(v)).DefaultIfEmpty(0).Max();
            while (peak / (1L << shift) > max + 0.5) shift++;
        }
        var scale = (double)(1L << shift);
        var output = spec with
        {
            Format = format,
            Gain = spec.Gain / scale,
            Baseline = (int)Math.Round(spec.Baseline / scale),
            AdcZero = (int)Math.Round(spec.AdcZero / scale),
            AdcResolution = Math.Min(spec.AdcResolution, format == 212 ? 12 : 16),
        };
        var invalid = output.InvalidSample;
        var digital = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
            digital[i] = missing[i] ? invalid : (int)Math.Clamp(Math.Round(values[i] / scale), min, max);
        return (output, digital);
    }
}
