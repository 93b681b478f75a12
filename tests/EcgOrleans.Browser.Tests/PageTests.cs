using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Signal.Beats;
using Microsoft.Playwright;

namespace EcgOrleans.Browser.Tests;

/// <summary>The page in a real browser: class plots of two runs side by side, updating live while beats stream in.</summary>
[Collection("page in a browser")]
public sealed class PageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Dataset = "synthetic";
    private const int ChunkSamples = 1800;

    private async Task UploadModelAsync(string name, int seed)
    {
        var content = new ByteArrayContent(TestModels.Checkpoint(seed: seed));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await fixture.Writer.PostAsync($"/api/models/{name}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task CreateRunAsync(string run, string model)
    {
        using var response = await fixture.Writer.PutAsJsonAsync($"/api/runs/{run}", new { model });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    [Fact]
    public async Task The_page_plots_every_class_of_two_runs_and_counts_rise_without_a_reload()
    {
        await UploadModelAsync("page-model-a", seed: 3);
        await UploadModelAsync("page-model-b", seed: 4);
        var live = $"live-{Guid.NewGuid():N}"[..12];
        var other = $"other-{Guid.NewGuid():N}"[..12];
        await CreateRunAsync(live, "page-model-a");
        await CreateRunAsync(other, "page-model-b");

        var record = HttpIngest.Synthetic(1, seconds: 90);
        var expected = HttpIngest.ClassCounts(record);
        var plan = new ChunkPlan(record, ChunkSamples);
        await HttpIngest.SendAsync(fixture.Writer, other, Dataset, record, ChunkSamples);
        await HttpIngest.SendAsync(fixture.Writer, live, Dataset, record, ChunkSamples, to: 3, flushEach: true);

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.Response += (_, response) => { if (response.Status >= 400) errors.Add($"{response.Status} {response.Url}"); };
        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/?run={live}&compare={other}").ToString());

        // Five classes by reference, one plot per run each.
        var livePanels = page.Locator($"[data-testid^='panel-{live}-reference-']");
        await Assertions.Expect(livePanels).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator($"[data-testid^='panel-{other}-reference-']")).ToHaveCountAsync(5);
        Assert.Equal(5, await page.Locator($"[data-testid^='panel-{live}-reference-'] canvas").CountAsync());
        foreach (var c in Aami.Classes.Where(c => expected[(int)c] > 0))
            await Assertions.Expect(page.GetByTestId($"count-{other}-reference-{c}")).ToHaveTextAsync(expected[(int)c].ToString("N0"));

        var count = page.GetByTestId($"count-{live}-reference-N");
        await Assertions.Expect(count).Not.ToHaveTextAsync("0");
        var before = ParseCount(await count.TextContentAsync());
        Assert.True(before < expected[(int)AamiClass.N]);
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        var sending = HttpIngest.SendAsync(fixture.Writer, live, Dataset, record, ChunkSamples, from: 3, to: plan.Count - 4, flushEach: true,
            pause: TimeSpan.FromMilliseconds(250));
        await page.WaitForFunctionAsync(
            "([id, before]) => Number(document.querySelector(`[data-testid='${id}']`).textContent.replace(/,/g, '')) > before",
            new object[] { $"count-{live}-reference-N", before }, new PageWaitForFunctionOptions { Timeout = 30_000 });
        // While beats arrive, every count the page shows at one moment agrees with the others.
        var looks = 0;
        while (!sending.IsCompleted || looks == 0)
        {
            AssertCountsAgree(await page.EvaluateAsync<JsonElement>(ReadCounts, live), live);
            looks++;
            await Task.Delay(300);
        }
        await sending;
        var midway = ParseCount(await count.TextContentAsync());
        Assert.True(midway > before, $"reference N rose from {before} to {midway}");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was not reloaded");

        await HttpIngest.SendAsync(fixture.Writer, live, Dataset, record, ChunkSamples, from: plan.Count - 4, flushEach: true);
        await Assertions.Expect(count).ToHaveTextAsync(expected[(int)AamiClass.N].ToString("N0"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId($"beats-{live}")).ToHaveTextAsync(expected.Sum().ToString("N0"), new() { Timeout = 30_000 });
        AssertCountsAgree(await page.EvaluateAsync<JsonElement>(ReadCounts, live), live);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("class-maps.png"), FullPage = true });

        // A confusion-matrix cell opens that cell's map, for both runs. (The test model is untrained: which
        // class it predicts for N beats is whatever its random weights say, so take the cell that has them.)
        var predicted = await FirstNonEmptyCell(page, live, "N");
        var cell = page.GetByTestId($"cell-{live}-N-{predicted}");
        var cellCount = (await cell.TextContentAsync())!;
        await cell.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid^='panel-']")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId($"count-{live}-cell-N-{predicted}")).ToHaveTextAsync(cellCount);
        Assert.Contains($"grouping=cell&class=N-{predicted}", page.Url);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("confusion-cell.png"), FullPage = true });

        Assert.Empty(errors);
    }

    /// <summary>Every count the page shows for one run, read in one go (the page draws a snapshot at once, so they are of one moment).</summary>
    private const string ReadCounts = """
        run => {
          const number = text => Number((text ?? '').match(/(\d[\d,]*) beats|^(\d[\d,]*)/)?.slice(1).find(Boolean)?.replace(/,/g, '') ?? NaN);
          const of = id => number(document.querySelector(`[data-testid="${id}"]`)?.textContent);
          const classes = ['N', 'S', 'V', 'F', 'Q'];
          return {
            option: number(document.querySelector(`[data-testid="run-a"] option[value="${run}"]`)?.textContent),
            card: of(`beats-${run}`),
            matrix: of(`matrix-total-${run}`),
            columns: classes.map(c => of(`column-total-${run}-${c}`)),
            rows: classes.map(c => of(`row-total-${run}-${c}`)),
            cells: classes.map(r => classes.map(p => of(`cell-${run}-${r}-${p}`))),
            maps: classes.map(c => of(`count-${run}-reference-${c}`)),
          };
        }
        """;

    private static void AssertCountsAgree(JsonElement counts, string run)
    {
        long One(string name) => counts.GetProperty(name).GetInt64();
        long[] Many(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetInt64())];
        var beats = One("card");
        Assert.Equal(beats, One("option"));
        Assert.Equal(beats, One("matrix"));
        Assert.Equal(beats, Many(counts.GetProperty("columns")).Sum());
        var rows = Many(counts.GetProperty("rows"));
        Assert.Equal(rows, Many(counts.GetProperty("maps")));
        Assert.Equal(rows, counts.GetProperty("cells").EnumerateArray().Select(r => Many(r).Sum()).ToArray());
        Assert.True(beats >= rows.Sum(), $"{run}: {beats} beats, {rows.Sum()} with a reference");
    }

    private static async Task<AamiClass> FirstNonEmptyCell(IPage page, string run, string reference)
    {
        foreach (var predicted in Aami.Classes)
        {
            if (await page.GetByTestId($"cell-{run}-{reference}-{predicted}").TextContentAsync() != "0") return predicted;
        }
        throw new InvalidOperationException($"row {reference} of {run}'s confusion matrix is empty");
    }

    private static long ParseCount(string? text) => long.Parse(text!.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
}
