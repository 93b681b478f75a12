using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcgOrleans.Signal.Beats;
using Microsoft.Playwright;

namespace EcgOrleans.Browser.Tests;

/// <summary>
/// Three runs made in order: "a" (model A) and "c" (model B) hold the same synthetic record, "b" (model B) none.
/// The two newest runs are b and c, of one model; the two newest of different models are a and c.
/// </summary>
public sealed class ComparedRuns : IAsyncLifetime
{
    public const string A = "cmp-a";
    public const string EmptyB = "cmp-b";
    public const string C = "cmp-c";
    public const int RhythmFeatures = 6;

    public BrowserFixture Fixture { get; } = new();

    public async Task InitializeAsync()
    {
        await Fixture.InitializeAsync();
        await Upload("cmp-model-a", seed: 3);
        await Upload("cmp-model-b", seed: 4);
        await Create(A, "cmp-model-a");
        await Create(EmptyB, "cmp-model-b");
        await Create(C, "cmp-model-b");
        var record = HttpIngest.Synthetic(1, seconds: 60);
        await HttpIngest.SendAsync(Fixture.Writer, A, "synthetic", record, 1800);
        await HttpIngest.SendAsync(Fixture.Writer, C, "synthetic", record, 1800);
    }

    public Task DisposeAsync() => Fixture.DisposeAsync();

    private async Task Upload(string name, int seed)
    {
        var content = new ByteArrayContent(TestModels.Checkpoint(rhythm: RhythmFeatures, seed: seed));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Fixture.Writer.PostAsync($"/api/models/{name}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task Create(string run, string model)
    {
        using var response = await Fixture.Writer.PutAsJsonAsync($"/api/runs/{run}", new { model });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

/// <summary>The page compares two runs by default: side by side, with their difference, in ms from R, on one saliency scale.</summary>
[Collection("page in a browser")]
public sealed class ComparisonTests(ComparedRuns runs) : IClassFixture<ComparedRuns>
{
    private static readonly string[] Classes = [.. Aami.Classes.Select(c => c.ToString())];

    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(string query = "")
    {
        var context = await runs.Fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.Response += (_, response) => { if (response.Status >= 400) errors.Add($"{response.Status} {response.Url}"); };
        await page.GotoAsync(new Uri(runs.Fixture.BaseAddress, "/" + query).ToString());
        return (context, page, errors);
    }

    private static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    private async Task<JsonElement> ApiMapAsync(string run, string key)
    {
        using var reader = new HttpClient { BaseAddress = runs.Fixture.BaseAddress };
        return await reader.GetFromJsonAsync<JsonElement>($"/api/runs/{run}/maps/{key}");
    }

    private static double Attribute(string? value) => double.Parse(value!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_page_opens_on_the_newest_runs_of_two_models_with_a_difference_panel_and_a_ms_axis()
    {
        var (context, page, errors) = await OpenAsync();
        await using var _ = context;

        await Assertions.Expect(page.GetByTestId("run-a")).ToHaveValueAsync(ComparedRuns.A);
        await Assertions.Expect(page.GetByTestId("run-b")).ToHaveValueAsync(ComparedRuns.C);
        await Assertions.Expect(page.Locator($"[data-testid^='panel-{ComparedRuns.A}-reference-']")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator($"[data-testid^='panel-{ComparedRuns.C}-reference-']")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("[data-testid^='difference-reference-']")).ToHaveCountAsync(5);
        Assert.Equal(0, await page.Locator($"[data-testid^='panel-{ComparedRuns.EmptyB}-']").CountAsync());
        Assert.Contains($"run={ComparedRuns.A}&compare={ComparedRuns.C}", page.Url);

        // Each row: A, B and A − B, left to right, and the difference drawn (the two runs' models differ).
        var row = page.Locator(".map-row").First;
        var order = await row.Locator(":scope > article").EvaluateAllAsync<string[]>("panels => panels.map(p => p.dataset.testid)");
        Assert.Equal([$"panel-{ComparedRuns.A}-reference-N", $"panel-{ComparedRuns.C}-reference-N", "difference-reference-N"], order);
        var difference = page.GetByTestId("difference-reference-N");
        await Assertions.Expect(difference.Locator("canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(difference).ToHaveAttributeAsync("data-difference-max", new System.Text.RegularExpressions.Regex(@"^\d"));
        Assert.True(Attribute(await difference.GetAttributeAsync("data-difference-max")) > 0);
        await Assertions.Expect(difference.Locator(".empty")).ToBeHiddenAsync();

        // Window beats: 96 of 256 samples before R at 360 Hz, so the axis runs from −266.7 to +441.7 ms.
        var window = BeatRepresentation.Window;
        var first = -window.SamplesBeforeR * 1000.0 / window.SamplingFrequency;
        var last = (window.Length - 1 - window.SamplesBeforeR) * 1000.0 / window.SamplingFrequency;
        foreach (var id in new[] { $"panel-{ComparedRuns.A}-reference-N", $"panel-{ComparedRuns.C}-reference-V", "difference-reference-N" })
        {
            var panel = page.GetByTestId(id);
            await Assertions.Expect(panel).ToHaveAttributeAsync("data-x-unit", "ms");
            await Assertions.Expect(panel).ToHaveAttributeAsync("data-x-min", new System.Text.RegularExpressions.Regex(@"^-"));
            Assert.Equal(first, Attribute(await panel.GetAttributeAsync("data-x-min")), 6);
            Assert.Equal(last, Attribute(await panel.GetAttributeAsync("data-x-max")), 6);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("comparison.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Every_saliency_axis_has_one_scale_the_largest_mean_saliency_of_both_runs()
    {
        var (context, page, errors) = await OpenAsync();
        await using var _ = context;
        var panels = page.Locator("[data-testid^='panel-']");
        await Assertions.Expect(panels).ToHaveCountAsync(10);
        await Assertions.Expect(page.GetByTestId($"panel-{ComparedRuns.C}-reference-Q")).ToHaveAttributeAsync("data-saliency-max", new System.Text.RegularExpressions.Regex(@"\d"));

        double expected = 0;
        foreach (var run in new[] { ComparedRuns.A, ComparedRuns.C })
        {
            foreach (var c in Classes)
            {
                var map = await ApiMapAsync(run, $"reference/{c}");
                var length = map.GetProperty("waveformLength").GetInt32();
                foreach (var v in map.GetProperty("saliencyMean").EnumerateArray().Take(length)) expected = Math.Max(expected, v.GetDouble());
            }
        }
        Assert.True(expected > 0);

        var scales = await panels.EvaluateAllAsync<string[]>("panels => panels.map(p => p.dataset.saliencyMax)");
        Assert.Equal(10, scales.Length);
        Assert.All(scales, s => Assert.Equal(expected, Attribute(s), 5));
        Assert.Equal(expected, Attribute(await page.GetByTestId("saliency-scale").GetAttributeAsync("data-saliency-max")), 5);
        await Assertions.Expect(page.GetByTestId("saliency-scale")).ToContainTextAsync("one saliency scale for every panel");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Rhythm_features_carry_the_names_the_server_gives_them()
    {
        var (context, page, errors) = await OpenAsync();
        await using var _ = context;
        var names = EcgOrleans.Signal.Beats.RhythmFeatures.NamesOf(ComparedRuns.RhythmFeatures);

        foreach (var id in new[] { $"panel-{ComparedRuns.A}-reference-N", $"panel-{ComparedRuns.C}-reference-N", "difference-reference-N" })
        {
            var features = page.GetByTestId(id).Locator("dt.feature");
            await Assertions.Expect(features).ToHaveCountAsync(names.Count);
            Assert.Equal(names, await features.AllTextContentsAsync());
        }
        await Assertions.Expect(page.GetByTestId($"run-card-{ComparedRuns.A}")).ToContainTextAsync(string.Join(" · ", names));
        Assert.Equal(0, await page.GetByText("rhythm 1").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Counts_agree_across_run_list_cards_matrix_and_maps_and_with_the_api()
    {
        var (context, page, errors) = await OpenAsync();
        await using var _ = context;
        await Assertions.Expect(page.Locator("[data-testid^='panel-']")).ToHaveCountAsync(10);

        foreach (var run in new[] { ComparedRuns.A, ComparedRuns.C })
        {
            using var reader = new HttpClient { BaseAddress = runs.Fixture.BaseAddress };
            var api = (await reader.GetFromJsonAsync<JsonElement[]>($"/api/runs/{run}/maps"))!
                .ToDictionary(m => m.GetProperty("key").GetString()!, m => m.GetProperty("count").GetInt64());
            long Api(string key) => api.GetValueOrDefault(key);
            var beats = Classes.Sum(c => Api($"predicted/{c}"));
            Assert.True(beats > 0);

            Assert.Equal(beats, Number(await page.Locator($"[data-testid='run-a'] option[value='{run}']").TextContentAsync()));
            Assert.Equal(beats, Number(await page.GetByTestId($"beats-{run}").TextContentAsync()));
            Assert.Equal(beats, Number(await page.GetByTestId($"matrix-total-{run}").TextContentAsync()));
            foreach (var c in Classes)
            {
                Assert.Equal(Api($"reference/{c}"), Number(await page.GetByTestId($"count-{run}-reference-{c}").TextContentAsync()));
                Assert.Equal(Api($"reference/{c}"), Number(await page.GetByTestId($"row-total-{run}-{c}").TextContentAsync()));
                Assert.Equal(Api($"predicted/{c}"), Number(await page.GetByTestId($"column-total-{run}-{c}").TextContentAsync()));
                foreach (var p in Classes)
                    Assert.Equal(Api($"cell/{c}-{p}"), Number(await page.GetByTestId($"cell-{run}-{c}-{p}").TextContentAsync()));
            }
        }
        Assert.Empty(errors);
    }

    [Fact]
    public async Task With_compare_none_one_run_is_shown_without_difference_panels()
    {
        var (context, page, errors) = await OpenAsync($"?run={ComparedRuns.C}&compare=none");
        await using var _ = context;

        await Assertions.Expect(page.Locator($"[data-testid^='panel-{ComparedRuns.C}-reference-']")).ToHaveCountAsync(5);
        Assert.Equal(0, await page.Locator("[data-testid^='difference-']").CountAsync());
        Assert.Equal(0, await page.Locator($"[data-testid^='panel-{ComparedRuns.A}-']").CountAsync());
        await Assertions.Expect(page.GetByTestId("run-b")).ToHaveValueAsync("");
        Assert.Empty(errors);
    }

    /// <summary>The first number in a text: "1,234", "a · model · 1,234 beats" → 1234.</summary>
    private static long Number(string? text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text ?? "", @"(\d[\d,]*) beats|^(\d[\d,]*)");
        Assert.True(match.Success, $"no count in '{text}'");
        var digits = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
        return long.Parse(digits.Replace(",", ""), CultureInfo.InvariantCulture);
    }
}
