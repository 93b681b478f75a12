using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Signal.Tests.Wfdb;

/// <summary>Damaged copies of record 100 (in a temporary folder): each gets a clear error naming record, file and field.</summary>
[Trait("Category", "Data")]
public sealed class BadInputTests : IDisposable
{
    private readonly string _folder = TestData.NewTempDirectory("wfdb-bad");

    public BadInputTests()
    {
        foreach (var extension in new[] { "hea", "dat", "atr" })
            File.Copy(Path.Combine(TestData.MitBihDirectory, $"100.{extension}"), Path.Combine(_folder, $"100.{extension}"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string extension) => Path.Combine(_folder, $"100.{extension}");

    private void EditHeader(Func<string, string> edit) => File.WriteAllText(PathOf("hea"), edit(File.ReadAllText(PathOf("hea"))));

    private WfdbFormatException ReadFails() => Assert.Throws<WfdbFormatException>(() => WfdbRecord.Read(_folder, "100"));

    [Fact]
    public void The_intact_copy_reads()
    {
        Assert.Equal(650000, WfdbRecord.Read(_folder, "100").SampleCount);
    }

    [Fact]
    public void A_truncated_signal_file()
    {
        using (var stream = new FileStream(PathOf("dat"), FileMode.Open)) stream.SetLength(stream.Length - 300);

        var error = ReadFails();

        Assert.Equal(("100", "100.dat", "number of samples"), (error.Record, error.File, error.Field));
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData("649999")]
    [InlineData("650001")]
    public void A_header_whose_sample_count_lies(string count)
    {
        EditHeader(h => h.Replace("100 2 360 650000", $"100 2 360 {count}"));

        var error = ReadFails();

        Assert.Equal(("100.dat", "number of samples"), (error.File, error.Field));
    }

    [Fact]
    public void A_header_whose_checksum_lies()
    {
        EditHeader(h => h.Replace("-22131", "-22130"));

        var error = ReadFails();

        Assert.Equal(("100.dat", "signal 0 checksum"), (error.File, error.Field));
        Assert.Contains("-22130", error.Message);
    }

    [Fact]
    public void A_header_whose_initial_value_lies()
    {
        EditHeader(h => h.Replace(" 1011 ", " 1012 "));

        Assert.Equal("signal 1 initial value", ReadFails().Field);
    }

    [Fact]
    public void A_flipped_sample_is_caught_by_the_checksum()
    {
        var bytes = File.ReadAllBytes(PathOf("dat"));
        bytes[300000] ^= 0x01;
        File.WriteAllBytes(PathOf("dat"), bytes);

        Assert.EndsWith("checksum", ReadFails().Field);
    }

    [Fact]
    public void An_unknown_format()
    {
        EditHeader(h => h.Replace("100.dat 212", "100.dat 999"));

        var error = ReadFails();

        Assert.Equal(("100.hea", "signal 0 format"), (error.File, error.Field));
        Assert.Contains("999", error.Message);
    }

    [Fact]
    public void Garbage_annotation_bytes()
    {
        var bytes = File.ReadAllBytes(PathOf("atr"));
        bytes[101] = 50 << 2; // a word with the unassigned code 50
        File.WriteAllBytes(PathOf("atr"), bytes);

        var error = ReadFails();

        Assert.Equal(("100", "100.atr", "annotation code"), (error.Record, error.File, error.Field));
    }

    [Theory]
    [InlineData("hea", "100.hea", "header file")]
    [InlineData("dat", "100.dat", "signal file")]
    [InlineData("atr", "100.atr", "annotation file")]
    public void Missing_files(string extension, string file, string field)
    {
        File.Delete(PathOf(extension));

        var error = ReadFails();

        Assert.Equal((file, field), (error.File, error.Field));
    }

    [Fact]
    public void A_header_that_points_outside_its_folder()
    {
        var outside = Path.Combine(Path.GetDirectoryName(_folder)!, "stolen.dat");
        EditHeader(h => h.Replace("100.dat", "../stolen.dat"));

        var error = ReadFails();

        Assert.Equal(("100.hea", "signal 0 file name"), (error.File, error.Field));
        Assert.False(File.Exists(outside));
    }

    [Fact]
    public void A_record_name_that_is_a_path()
    {
        var error = Assert.Throws<WfdbFormatException>(() => WfdbRecord.Read(_folder, "../100"));

        Assert.Equal("record name", error.Field);
    }

    [Fact]
    public void A_byte_offset_beyond_the_file()
    {
        EditHeader(h => h.Replace("100.dat 212 ", "100.dat 212+99999999 "));

        Assert.Equal("byte offset", ReadFails().Field);
    }
}
