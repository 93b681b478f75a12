namespace EcgOrleans.Client.Tests;

/// <summary><c>ecg faithfulness</c> refuses bad options before it reads any record, naming the option.</summary>
public sealed class FaithfulnessOptionTests
{
    private static async Task<string> CommandLineError(params string[] args)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => EcgApp.Create(propagateExceptions: true).RunAsync(args, CancellationToken.None));
        return e.Message;
    }

    private static readonly string[] Valid = ["faithfulness", "--data", "/nonexistent", "--checkpoint", "a.ckpt"];

    [Theory]
    [InlineData(new[] { "--per-class", "0" }, "--per-class 0: give 1 to 5000 beats")]
    [InlineData(new[] { "--per-class", "5001" }, "--per-class 5001: give 1 to 5000 beats")]
    [InlineData(new[] { "--per-class", "20", "--sanity-per-class", "21" }, "--sanity-per-class 21: give 0 (no check) to --per-class (20)")]
    [InlineData(new[] { "--sanity-per-class", "-1" }, "--sanity-per-class -1: give 0 (no check) to --per-class (100)")]
    [InlineData(new[] { "--steps", "0" }, "--steps 0: give 1 to 256")]
    [InlineData(new[] { "--threads", "0" }, "--threads 0: give at least 1")]
    [InlineData(new[] { "--split", "ds3" }, "--split 'ds3' is not one of ds1, ds2, paced, all")]
    [InlineData(new[] { "--methods", "vanilla,lime" }, "--methods: unknown saliency method 'lime': use one of vanilla, gradxinput, smoothgrad, ig, occlusion, gradcam")]
    [InlineData(new[] { "--methods", " , " }, "--methods names no method")]
    [InlineData(new[] { "--target", "annotated" }, "--target: unknown saliency target 'annotated': use predicted or reference")]
    [InlineData(new[] { "--checkpoint", "a.ckpt" }, "--checkpoint names the same file twice")]
    public async Task Bad_values_are_refused_naming_the_option(string[] extra, string message)
    {
        Assert.Equal(message, await CommandLineError([.. Valid, .. extra]));
    }

    [Fact]
    public async Task Data_and_a_checkpoint_are_required()
    {
        Assert.Equal("--data DIR is required: the MIT-BIH folder", await CommandLineError("faithfulness", "--checkpoint", "a.ckpt"));
        Assert.Equal("--checkpoint FILE is required (repeat it to compare models)", await CommandLineError("faithfulness", "--data", "/d"));
    }

    [Fact]
    public async Task Valid_options_get_past_validation_to_the_missing_data()
    {
        // A missing folder is reported by the command (exit code), not refused as an option.
        var code = await EcgApp.Create(propagateExceptions: true).RunAsync([.. Valid, "--methods", "ig,gradcam", "--target", "predicted"], CancellationToken.None);
        Assert.NotEqual(0, code);
    }
}
