using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Tests.Wfdb;

public sealed class HeaderParserTests
{
    private const string MitBih100 =
        "100 2 360 650000\r\n" +
        "100.dat 212 200 11 1024 995 -22131 0 MLII\r\n" +
        "100.dat 212 200 11 1024 1011 20052 0 V5\r\n" +
        "# 69 M 1085 1629 x1\r\n" +
        "# Aldomet, Inderal\r\n";

    [Fact]
    public void Parses_a_MIT_BIH_header_with_CR_LF_line_ends()
    {
        var header = HeaderParser.Parse("100", MitBih100);

        Assert.Equal("100", header.Name);
        Assert.Equal(360, header.SamplingFrequency);
        Assert.Equal(360, header.CounterFrequency);
        Assert.Equal(650000, header.SampleCount);
        Assert.Equal(2, header.SignalCount);
        var mlii = header.Signals[0];
        Assert.Equal(("100.dat", 212, 200.0, 11, 1024, 1024), (mlii.FileName, mlii.Format, mlii.Gain, mlii.AdcResolution, mlii.AdcZero, mlii.Baseline));
        Assert.Equal((995, -22131, "MLII", "mV"), (mlii.InitialValue, mlii.Checksum, mlii.Description, mlii.Units));
        Assert.Equal("V5", header.Signals[1].Description);
        Assert.Equal(["69 M 1085 1629 x1", "Aldomet, Inderal"], header.Comments);
        Assert.Equal(0, header.IndexOf("mlii"));
    }

    [Fact]
    public void LF_and_CR_LF_give_the_same_header()
    {
        var crlf = HeaderParser.Parse("100", MitBih100);
        var lf = HeaderParser.Parse("100", MitBih100.Replace("\r\n", "\n"));

        Assert.Equal(crlf.Signals, lf.Signals);
        Assert.Equal(crlf.Comments, lf.Comments);
        Assert.Equal(crlf with { Signals = lf.Signals, Comments = lf.Comments }, lf);
    }

    [Fact]
    public void Missing_fields_take_the_specification_defaults()
    {
        var header = HeaderParser.Parse("rec", "rec 1\nrec.dat 16\n");

        Assert.Equal(250, header.SamplingFrequency);
        Assert.Null(header.SampleCount);
        var signal = header.Signals[0];
        Assert.Equal(200, signal.Gain);
        Assert.Equal("mV", signal.Units);
        Assert.Equal(16, signal.AdcResolution);
        Assert.Equal(0, signal.AdcZero);
        Assert.Equal(0, signal.Baseline);
        Assert.Null(signal.InitialValue);
        Assert.Null(signal.Checksum);
        Assert.Equal("record rec, signal 0", signal.Description);
    }

    [Fact]
    public void Reads_counter_frequency_baseline_units_and_a_description_with_spaces()
    {
        var header = HeaderParser.Parse("x_1",
            "x_1 1 500/10(3) 1000 12:30:00 01/02/2003\n" +
            "x_1.dat 16+512 1000(-5)/uV 0 0 7 123 0 lead II (modified)\n");

        Assert.Equal((500.0, 10.0, 3.0), (header.SamplingFrequency, header.CounterFrequency, header.BaseCounter));
        Assert.Equal(("12:30:00", "01/02/2003"), (header.BaseTime, header.BaseDate));
        var signal = header.Signals[0];
        Assert.Equal((512L, 1000.0, -5, "uV"), (signal.ByteOffset, signal.Gain, signal.Baseline, signal.Units));
        Assert.Equal(16, signal.AdcResolution); // 0 means the format's default
        Assert.Equal("lead II (modified)", signal.Description);
    }

    [Fact]
    public void A_zero_gain_means_uncalibrated_and_takes_the_default()
    {
        var header = HeaderParser.Parse("r", "r 1 360\nr.dat 212 0 12 0\n");
        Assert.Equal(200, header.Signals[0].Gain);
    }

    [Theory]
    [InlineData("r 2 360\nr.dat 212\n", "signal lines")]
    [InlineData("r 1 360\nr.dat 999\n", "signal 0 format")]
    [InlineData("r 1 360\nr.dat 212x4\n", "signal 0 samples per frame")]
    [InlineData("r 1 360\nr.dat 212:3\n", "signal 0 skew")]
    [InlineData("r 1 -360\nr.dat 212\n", "sampling frequency")]
    [InlineData("r 1 abc\nr.dat 212\n", "sampling frequency")]
    [InlineData("r x 360\n", "number of signals")]
    [InlineData("r 1 360 -5\nr.dat 212\n", "number of samples")]
    [InlineData("s 1 360\ns.dat 212\n", "record name")]
    [InlineData("r/3 1 360\n", "record name")]
    [InlineData("r 1 360\nr.dat 212 abc\n", "signal 0 ADC gain")]
    [InlineData("r 1 360\nr.dat 212 200 11 1024 0 99999\n", "signal 0 checksum")]
    [InlineData("", "record line")]
    [InlineData("# only a comment\n", "record line")]
    public void Malformed_headers_name_the_field(string text, string field)
    {
        var error = Assert.Throws<WfdbFormatException>(() => HeaderParser.Parse("r", text));

        Assert.Equal(field, error.Field);
        Assert.Equal("r", error.Record);
        Assert.Equal("r.hea", error.File);
        Assert.Contains(field, error.Message);
    }

    [Theory]
    [InlineData("../r.dat")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/r.dat")]
    [InlineData("..\\r.dat")]
    [InlineData("..")]
    [InlineData("-")]
    public void A_signal_file_outside_the_header_folder_is_refused(string fileName)
    {
        var error = Assert.Throws<WfdbFormatException>(() => HeaderParser.Parse("r", $"r 1 360\n{fileName} 212\n"));

        Assert.Equal("signal 0 file name", error.Field);
    }
}
