using EcgOrleans.Client.Commands.Offline;
using EcgOrleans.Client.Options;
using EcgOrleans.Ml.Evaluation;

namespace EcgOrleans.Client.Tests;

/// <summary>What the command line refuses before any command runs: options a command does not have, and the old --split protocols.</summary>
public sealed class CommandLineTests
{
    private static async Task<Exception> Refused(params string[] args) =>
        await Assert.ThrowsAnyAsync<Exception>(() => EcgApp.Create(propagateExceptions: true).RunAsync(args, CancellationToken.None));

    [Theory]
    [InlineData("beats --synthetic --recrds 100", "unknown option --recrds for ecg beats: did you mean --records?")]
    [InlineData("evaluate --checkpont x.ckpt", "unknown option --checkpont for ecg evaluate: did you mean --checkpoint?")]
    [InlineData("ingest --run r --in-proces", "unknown option --in-proces for ecg ingest: did you mean --in-process?")]
    [InlineData("train --out x.ckpt --epoch 3", "unknown option --epoch for ecg train: did you mean --epochs?")]
    [InlineData("maps --run r --jsn", "unknown option --jsn for ecg maps: did you mean --json?")]
    [InlineData("qrs --synthetic --strat 60", "unknown option --strat for ecg qrs: did you mean --start?")]
    [InlineData("calibrate --check x.ckpt", "unknown option --check for ecg calibrate: did you mean --checkpoint?")]
    [InlineData("beats --synthetic --frobnicate", "unknown option --frobnicate for ecg beats (see ecg beats --help)")]
    [InlineData("beats --synthetic -x", "unknown option -x for ecg beats (see ecg beats --help)")]
    public async Task An_unknown_option_is_an_error_naming_the_closest_option(string line, string message)
    {
        var e = await Refused(line.Split(' '));

        Assert.IsType<CommandOptionException>(e);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task Unknown_options_are_found_before_the_options_are_checked()
    {
        // Without the check, --checkpoint would be reported missing: the misspelling is the real mistake.
        Assert.IsType<CommandOptionException>(await Refused("evaluate", "--checkpont", "x.ckpt"));
        Assert.IsType<CommandOptionException>(await Refused("simulate", "--runn", "live", "--seconds", "-1"));
    }

    [Fact]
    public async Task Values_that_start_with_a_dash_and_options_with_equals_are_not_unknown_options()
    {
        Assert.Equal("--seconds -1: give a positive number of seconds", (await Refused("simulate", "--run", "live", "--seconds", "-1")).Message);
        Assert.Equal("--step 0: give a positive number no larger than --limit",
            (await Refused("calibrate", "--checkpoint", "x.ckpt", "--out", "y.ckpt", "--limit=2", "--step", "0")).Message);
    }

    [Fact]
    public void Every_command_knows_its_own_options_and_only_near_names_are_suggested()
    {
        var train = UnknownOptions.Options(typeof(TrainSettings));
        Assert.True(train["--epochs"]);
        Assert.False(train["--morphology"]);
        Assert.True(train.ContainsKey("--protocol") && train.ContainsKey("--split"));
        Assert.Equal("--epochs", UnknownOptions.Closest("--epohcs", [.. train.Keys]));
        Assert.Null(UnknownOptions.Closest("--monitors", [.. train.Keys]));
        Assert.Equal(1, UnknownOptions.Distance("--recrods", "--records"));
        Assert.Null(UnknownOptions.Find(["beats", "--data", "d", "--", "--anything"], new Dictionary<string, Type> { ["beats"] = typeof(Data.DataSettings) }));
    }

    [Theory]
    [InlineData(null, null, SplitProtocol.Inter)]
    [InlineData("intra", null, SplitProtocol.Intra)]
    [InlineData(null, "intra", SplitProtocol.Intra)]
    [InlineData(null, "INTER", SplitProtocol.Inter)]
    public void Train_takes_the_protocol_from_protocol_or_from_the_old_split(string? protocol, string? split, SplitProtocol expected)
    {
        var settings = new TrainSettings { Protocol = protocol, Split = split, Out = "x.ckpt" };

        Assert.True(settings.Validate().Successful);
        Assert.Equal(expected, settings.ToPlan("ecg train").Protocol);
        Assert.Equal(split is not null, ProtocolOption.Deprecation(split) is { } warning && warning.Contains($"use --protocol {split!.ToLowerInvariant()}"));
    }

    [Theory]
    [InlineData(new[] { "train", "--out", "x.ckpt", "--split", "ds1" }, "--split ds1: ecg train takes --protocol intra|inter (record sets such as ds1 are for beats, ingest and evaluate)")]
    [InlineData(new[] { "train", "--out", "x.ckpt", "--protocol", "cross" }, "--protocol 'cross': use intra or inter")]
    [InlineData(new[] { "train", "--out", "x.ckpt", "--protocol", "inter", "--split", "inter" }, "give --protocol or --split, not both (--split intra|inter is the old name of --protocol)")]
    public async Task Train_refuses_record_sets_and_unknown_protocols(string[] args, string message)
    {
        Assert.Equal(message, (await Refused(args)).Message);
    }
}
