using Microsoft.Playwright;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Alarms on real training, through the worker: a GRPO run whose format reward (any digit first) a collapsed policy
/// satisfies with one constant output, pushed there by a learning rate far too high, raises a collapse alarm and, with
/// alarmPause, is paused by it at a step boundary; the same run at a sane learning rate raises none.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AlarmRunTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const int Steps = 60;

    [Fact]
    public async Task CollapsingRun_RaisesACollapseAlarm_AndPausesOnIt()
    {
        var run = await CreateAsync("e2e-alarm-collapse", learningRate: 0.02);
        var paused = await platform.WaitForRunAsync(run.Id, r => r.Status is RunStatus.Paused || r.Status.IsTerminal(), TimeSpan.FromMinutes(4));
        await LogSeriesAsync(run.Id);

        Assert.True(paused.Status == RunStatus.Paused, $"{paused.Status} at step {paused.Step}: {paused.Error}");
        var alarms = await platform.GetAsync<List<AlarmDto>>($"/api/runs/{run.Id}/alarms");
        Assert.Contains(alarms, a => a.Kind is AlarmKinds.DiversityCollapse or AlarmKinds.EntropyCollapse);
        Assert.InRange(paused.Step, 1, Steps - 1);
        var events = await platform.GetAsync<List<RunEventDto>>($"/api/runs/{run.Id}/events");
        Assert.Contains(events, e => e.Kind == RunEventKind.Action && e.Message == "pause" && e.Who!.StartsWith("alarm: ", StringComparison.Ordinal));

        // As a researcher sees it: the alarm on the run page and in its events, a badge in the runs list.
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid='run-alarm']").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid='run-event'][data-kind='alarm']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Paused");
        await Screenshots.SaveAsync(page, "alarm-run");
        await page.GotoAsync($"{platform.BaseUrl}/runs");
        await Assertions.Expect(page.GetByTestId($"run-alarm-badge-{run.Id}")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(page, "alarm-runs-list");
    }

    [Fact]
    public async Task HealthyRun_RaisesNoAlarm()
    {
        var run = await CreateAsync("e2e-alarm-healthy", learningRate: 1e-4);
        var done = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal() || r.Status == RunStatus.Paused, TimeSpan.FromMinutes(4));
        await LogSeriesAsync(run.Id);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Empty(await platform.GetAsync<List<AlarmDto>>($"/api/runs/{run.Id}/alarms"));
    }

    private Task<RunDto> CreateAsync(string name, double learningRate) => platform.CreateRunAsync(new
    {
        name, experiment = "e2e", algorithm = "grpo", dataset = "addition-2digit", @base = new { preset = "tiny" },
        rewards = new[] { new { type = "regex", weight = 1.0, pattern = "^[0-9]" } },
        settings = new
        {
            steps = Steps, batchSize = 32, groupSize = 8, learningRate, temperature = 1.0, maxNewTokens = 4, beta = 0.0,
            checkpointEvery = 1000, evalEvery = 0, alarmPause = true,
        },
        seed = 3,
    });

    private async Task LogSeriesAsync(long runId)
    {
        var metrics = await platform.GetAsync<MetricsResponse>($"/api/runs/{runId}/metrics?keys=completion/distinct_frac,policy/entropy,reward/mean&maxPoints=100");
        foreach (var series in metrics.Series)
            output.WriteLine($"{series.Key}: {string.Join(" ", series.Points.Select(p => $"{p.Step}:{p.Value:0.###}"))}");
    }
}
