using EcgOrleans.Client.Commands.Hosting;
using EcgOrleans.Client.Commands.Offline;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Options;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Sources;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Tests;

public sealed class OptionTests
{
    private static string Error(CommandSettings settings)
    {
        var result = settings.Validate();
        Assert.False(result.Successful, "expected the options to be refused");
        return result.Message!;
    }

    /// <summary>Runs the real command line; option errors surface before any silo is contacted.</summary>
    private static async Task<string> CommandLineError(params string[] args)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => EcgApp.Create(propagateExceptions: true).RunAsync(args, CancellationToken.None));
        return e.Message;
    }

    [Theory]
    [InlineData("--grouping", "kind", "--grouping 'kind' is not one of reference, predicted, cell, all")]
    [InlineData("--class", "X", "--class 'X' is not an AAMI class (N, S, V, F, Q) or a confusion cell reference-predicted such as V-N")]
    [InlineData("--width", "3", "--width 3: give 8 to 400 columns")]
    [InlineData("--compare", "r1", "--compare r1 is the run itself: name another run")]
    public async Task Maps_options_are_checked(string option, string value, string message)
    {
        Assert.Equal(message, await CommandLineError("maps", "--run", "r1", option, value));
    }

    [Fact]
    public async Task Maps_and_watch_need_a_run()
    {
        Assert.Equal("--run is required", await CommandLineError("maps"));
        Assert.Equal("--run is required", await CommandLineError("watch"));
        Assert.Equal("--run is required", await CommandLineError("simulate"));
    }

    [Theory]
    [InlineData("--speed", "0", "--speed 0: give more than 0 and at most 1000")]
    [InlineData("--monitors", "100001", "--monitors 100001: give 1 to 100,000")]
    [InlineData("--monitors", "0", "--monitors 0: give 1 to 100,000")]
    [InlineData("--patients", "0", "--patients 0: give 1 to 999")]
    [InlineData("--max-in-flight", "0", "--max-in-flight 0: give at least 1")]
    [InlineData("--data", "/no/such/folder", "--data /no/such/folder: no such folder")]
    [InlineData("--seconds", "-1", "--seconds -1: give a positive number of seconds")]
    public async Task Simulate_options_are_checked(string option, string value, string message)
    {
        Assert.Equal(message, await CommandLineError("simulate", "--run", "live", option, value));
    }

    [Theory]
    [InlineData("--monitors", "100001", "--monitors 100001: give 1 to 100,000")]
    [InlineData("--live-seconds", "0", "--live-seconds 0: give a positive number of seconds")]
    public async Task Scale_live_options_are_checked(string option, string value, string message)
    {
        Assert.Equal(message, await CommandLineError("scale", "--live", option, value));
    }

    [Fact]
    public void A_cell_class_implies_the_cell_grouping_and_matches_that_cell_only()
    {
        Assert.Null(MapSelection.TryParse(null, "v-n", out var selection));
        Assert.Equal(ClassMapGrouping.Cell, selection.Grouping);
        Assert.True(selection.Matches("cell/V-N"));
        Assert.False(selection.Matches("cell/V-V"));
        Assert.False(selection.Matches("reference/V"));
        Assert.Equal("--class V-N names a confusion cell: use it with --grouping cell", MapSelection.TryParse("reference", "V-N", out _));
    }

    [Fact]
    public void A_class_keeps_its_maps_in_every_grouping_and_the_cells_of_its_reference_beats()
    {
        Assert.Null(MapSelection.TryParse("all", "V", out var selection));
        string[] keys = ["reference/V", "reference/N", "predicted/V", "cell/V-N", "cell/N-V"];
        Assert.Equal(["reference/V", "predicted/V", "cell/V-N"], keys.Where(selection.Matches));
        Assert.Null(MapSelection.TryParse("predicted", null, out var predicted));
        Assert.Equal(["predicted/V"], keys.Where(predicted.Matches));
        Assert.False(MapSelection.All.Matches("not a key"));
    }

    [Fact]
    public void Synthetic_records_and_a_data_folder_exclude_each_other()
    {
        Assert.Equal("give --data or --synthetic, not both", Error(new DataSettings { Synthetic = true, Data = "/tmp" }));
        Assert.Equal("--seed, --records-count and --seconds describe synthetic records: add --synthetic", Error(new DataSettings { Data = "/tmp", Seed = 3 }));
        Assert.Equal("--split and --records pick records of a --data folder; synthetic records are chosen with --records-count",
            Error(new DataSettings { Synthetic = true, Split = "ds1" }));
        Assert.Equal("--records-count 0: give 1 to 999", Error(new DataSettings { Synthetic = true, RecordsCount = 0 }));
        Assert.Equal("--seconds 0: give more than 0 and at most 86400", Error(new DataSettings { Synthetic = true, Seconds = 0 }));
    }

    [Fact]
    public void Synthetic_options_open_the_synthetic_source_they_describe()
    {
        var settings = new DataSettings { Synthetic = true, Seed = 7, RecordsCount = 3, Seconds = 20 };
        Assert.True(settings.Validate().Successful);

        var source = Assert.IsType<SyntheticSource>(settings.Open());

        Assert.Equal((7, 3, 20.0), (source.Seed, source.Records.Count, source.Seconds));
        Assert.False(new DataSettings().HasData);
    }

    [Fact]
    public void Qrs_on_synthetic_records_scores_five_minutes_after_the_learning_period_unless_told_otherwise()
    {
        var settings = new QrsSettings { Synthetic = true, Start = 60 };
        Assert.Equal(360, settings.SyntheticSeconds);
        Assert.Contains("end before the scored period starts", Error(new QrsSettings { Synthetic = true, Seconds = 100 }));
    }

    [Fact]
    public void The_demo_defaults_to_synthetic_records_and_checks_its_options()
    {
        var demo = new DemoSettings();
        Assert.True(demo.UsesSynthetic);
        Assert.Equal((DemoSettings.DefaultRecords, DemoSettings.DefaultSeconds), (demo.SyntheticRecords, demo.SyntheticSeconds));
        Assert.Equal("--parallel 0: give 1 to 64", Error(new DemoSettings { Parallel = 0 }));
        Assert.False(new DemoSettings { Data = "/tmp" }.UsesSynthetic);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_default_demo_records_hold_every_AAMI_class()
    {
        var source = new DemoSettings().Open();
        var totals = new long[Signal.Beats.Aami.ClassCount];
        foreach (var name in source.Records)
        {
            foreach (var mark in Signal.Beats.RecordBeats.Marks(source.Load(name).Annotations)) totals[(int)mark.Reference!.Value]++;
        }
        Assert.All(totals, count => Assert.True(count >= 10, $"class counts {string.Join(", ", totals)}"));
    }

    [Theory]
    [InlineData(new[] { "calibrate", "--out", "x.ckpt" }, "--checkpoint FILE is required")]
    [InlineData(new[] { "ensemble", "a.ckpt", "b.ckpt" }, "--out FILE is required (where the ensemble checkpoint goes)")]
    [InlineData(new[] { "ensemble", "a.ckpt", "--out", "e.ckpt" }, "give at least two checkpoints to combine, not 1")]
    [InlineData(new[] { "calibrate", "--checkpoint", "x.ckpt" }, "--out FILE is required (where the calibrated checkpoint goes)")]
    [InlineData(new[] { "calibrate", "--checkpoint", "x.ckpt", "--out", "y.ckpt", "--class", "X" }, "--class 'X' is not an AAMI class (N, S, V, F, Q)")]
    [InlineData(new[] { "calibrate", "--checkpoint", "x.ckpt", "--out", "y.ckpt", "--class", "2" }, "--class '2' is not an AAMI class (N, S, V, F, Q)")]
    [InlineData(new[] { "calibrate", "--checkpoint", "x.ckpt", "--out", "y.ckpt", "--step", "0" }, "--step 0: give a positive number no larger than --limit")]
    [InlineData(new[] { "train", "--out", "y.ckpt", "--calibrate-class", "Z" }, "--calibrate-class 'Z' is not an AAMI class (N, S, V, F, Q)")]
    public async Task Calibration_and_ensemble_options_are_checked(string[] args, string message)
    {
        Assert.Equal(message, await CommandLineError(args));
    }

    [Fact]
    public void Classes_are_named_by_letter_in_either_case()
    {
        Assert.Equal(Signal.Beats.AamiClass.V, ClassOption.Parse("v"));
        Assert.Equal(Signal.Beats.AamiClass.F, ClassOption.Parse(" F "));
        Assert.Null(ClassOption.Parse("VEB"));
    }

    [Fact]
    public async Task Calibrating_a_missing_checkpoint_fails_before_reading_any_data()
    {
        var folder = EcgOrleans.Tests.TestData.NewTempDirectory("calibrate");
        var code = await EcgApp.Create(propagateExceptions: true).RunAsync(
            ["calibrate", "--checkpoint", Path.Combine(folder, "absent.ckpt"), "--out", Path.Combine(folder, "out.ckpt"), "--data", folder], CancellationToken.None);
        Assert.Equal(1, code);
        Assert.False(File.Exists(Path.Combine(folder, "out.ckpt")));
    }

    [Fact]
    public void A_checkpoint_without_validation_records_cannot_be_calibrated()
    {
        var metadata = new CheckpointMetadata
        {
            Architecture = "kachuee", Representation = "window", WaveformLength = 256, RhythmFeatureCount = 0, RhythmFeatureNames = [],
            Classes = ["N", "S", "V", "F", "Q"], Protocol = "inter", TrainingRecords = ["101"], TestRecords = ["100"],
        };
        Assert.Equal("names no validation records: nothing held out of training to calibrate on", Calibration.CannotCalibrate(metadata));
        Assert.Null(Calibration.CannotCalibrate(metadata with { ValidationRecords = ["119"] }));
        Assert.Contains("unknown split 'cross'", Calibration.CannotCalibrate(metadata with { ValidationRecords = ["119"], Protocol = "cross" }));
    }

    [Fact]
    public async Task The_demo_names_the_missing_checkpoints_before_starting_anything()
    {
        var empty = EcgOrleans.Tests.TestData.NewTempDirectory("no-models");
        var message = await CommandLineError("demo", "--models", empty, "--out", Path.Combine(empty, "out"));
        Assert.Contains("kachuee-window-ds1.ckpt, resnet-window-ds1.ckpt not found in " + empty, message);
    }
}
