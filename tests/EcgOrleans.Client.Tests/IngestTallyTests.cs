using EcgOrleans.Client.Ingestion;

namespace EcgOrleans.Client.Tests;

public sealed class IngestTallyTests
{
    [Fact]
    public void Records_under_way_count_by_their_share_of_beats_before_any_finishes()
    {
        var tally = new IngestTally(records: 4);

        tally.Report("s001", 50, 100);
        tally.Report("s002", 25, 100);

        Assert.Equal(0, tally.Finished);
        Assert.Equal(0.75, tally.RecordsDone, 6);
        Assert.Equal(18.75, tally.Percent, 6);
        Assert.Equal(75, tally.Beats);
    }

    [Fact]
    public void A_finished_record_counts_whole_and_the_line_says_how_many_of_how_many()
    {
        var tally = new IngestTally(records: 3);
        tally.Report("s001", 120, 100);
        tally.Report("s002", 10, 100);

        Assert.Equal(120, tally.Finish("s001"));
        // A record refused before any beat is over too.
        Assert.Equal(0, tally.Finish("s003"));

        Assert.Equal(2, tally.Finished);
        Assert.Equal(2.1, tally.RecordsDone, 6);
        Assert.Equal("2/3 records done, 130 beats, 70% after 3 s", tally.Line(TimeSpan.FromSeconds(3)));
    }
}
