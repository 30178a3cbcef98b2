using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The cockpit as a user clicks through it: the runs list paged, sorted (by name and by a metric) and with chosen
/// columns, all kept in the address; bulk cancel, tag and delete with their results; a run page's metric sections
/// (collapsed, hidden through the chooser, kept in the address); its lineage; and a Compare link that reopens the same
/// metric and smoothing. Native runs wait on a queue no worker serves and metrics come through the MLflow API, so nothing
/// trains. Screenshots go under screenshots/.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CockpitTests(PlatformFixture platform)
{
    private const string IdleQueue = "e2e-idle";

    [Fact]
    public async Task RunsList_PagesSortsChoosesColumnsAndActsInBulk()
    {
        var experiment = $"cockpit-{Guid.NewGuid():N}"[..20];
        var queued = new List<RunDto>();
        foreach (var letter in "abcdefghi") queued.Add(await QueuedRunAsync(experiment, $"run-{letter}"));
        var external = new List<(long Id, double Reward)>();
        foreach (var (name, reward) in new[] { ("ext-low", 0.2), ("ext-high", 0.9), ("ext-mid", 0.5) })
            external.Add((await ExternalRunAsync(experiment, name, ("reward/mean", reward), ("policy/kl", reward / 10)), reward));

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs?experiment={experiment}&size=10");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("runs-count")).ToHaveTextAsync("10 of 12 runs", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("runs-page")).ToHaveTextAsync("Page 1 of 2");

        // The next page holds the two oldest runs; the address says which page this is.
        await page.GetByTestId("runs-page-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("runs-page")).ToHaveTextAsync("Page 2 of 2");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId($"run-row-{queued[0].Id}")).ToHaveCountAsync(1);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]page=2"));

        // Sorting by name goes back to page 1, A→Z, then Z→A on a second click.
        await page.GetByTestId("sort-name").ClickAsync();
        await Assertions.Expect(page.GetByTestId("runs-page")).ToHaveTextAsync("Page 1 of 2");
        await Assertions.Expect(Rows(page).First).ToHaveAttributeAsync("data-testid", $"run-row-{external[1].Id}"); // "ext-high"
        await page.GetByTestId("sort-name").ClickAsync();
        await Assertions.Expect(page.Locator("th[data-sorted='desc'] [data-testid='sort-name']")).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page).First).ToHaveAttributeAsync("data-testid", $"run-row-{queued[^1].Id}"); // "run-i"
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]sort=name&order=desc"));

        // Columns: a metric column is added, the created column removed; both stay in the address.
        await page.GetByTestId("columns-button").ClickAsync();
        await page.GetByTestId("metric-column-policy/kl").ClickAsync(); // offered: the runs on this page report it
        await page.GetByTestId("column-created").ClickAsync();
        await page.GetByTestId("columns-done").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sort-metric:policy/kl")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("sort-created")).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("metrics=reward%2Fmean%2Cpolicy%2Fkl|metrics=reward/mean,policy/kl"));

        // Best reward first; the runs that never reported it after them.
        await page.GetByTestId("sort-metric:reward/mean").ClickAsync();
        var byReward = external.OrderByDescending(e => e.Reward).Select(e => $"run-row-{e.Id}").ToArray();
        await Assertions.Expect(Rows(page).Nth(0)).ToHaveAttributeAsync("data-testid", byReward[0]);
        await Assertions.Expect(Rows(page).Nth(1)).ToHaveAttributeAsync("data-testid", byReward[1]);
        await Assertions.Expect(Rows(page).Nth(2)).ToHaveAttributeAsync("data-testid", byReward[2]);
        await Assertions.Expect(Rows(page).Nth(0).GetByTestId("metric-cell-reward/mean")).ToHaveTextAsync("0.9");
        await Assertions.Expect(Rows(page).Nth(3).GetByTestId("metric-cell-reward/mean")).ToHaveTextAsync("—");
        await Screenshots.SaveAsync(page, "runs-list-sorted-by-metric.png");

        // A shared link opens the same list.
        var link = page.Url;
        var other = await platform.NewPageAsync();
        await other.GotoAsync(link);
        await other.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(Rows(other).Nth(0)).ToHaveAttributeAsync("data-testid", byReward[0]);
        await Assertions.Expect(other.GetByTestId("sort-metric:policy/kl")).ToHaveCountAsync(1);
        await other.CloseAsync();

        // Bulk cancel: two queued runs are cancelled; an external run is skipped with the reason.
        var (newest, nextNewest) = (queued[^1], queued[^2]); // on this page, right after the runs that report reward/mean
        await page.GetByTestId($"run-select-{newest.Id}").ClickAsync();
        await page.GetByTestId($"run-select-{nextNewest.Id}").ClickAsync();
        await page.GetByTestId($"run-select-{external[0].Id}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("3 selected");
        await page.GetByTestId("bulk-cancel").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel 3 runs" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("bulk-result")).ToContainTextAsync("2 cancelled, 1 skipped", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("bulk-result")).ToContainTextAsync($"Run {external[0].Id} is an external run");
        Assert.Equal(RunStatus.Cancelled, (await platform.GetAsync<RunDto>($"/api/runs/{newest.Id}")).Status);
        await Screenshots.SaveAsync(page, "runs-bulk-cancel.png");

        // Bulk tag: all three get it.
        await page.GetByTestId("bulk-tag-name").FillAsync("sweep-7");
        await page.GetByTestId("bulk-tag").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tag 3 runs" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("bulk-result")).ToContainTextAsync("3 tagged 'sweep-7'", new() { Timeout = 15_000 });
        Assert.Contains("sweep-7", (await platform.GetAsync<RunDto>($"/api/runs/{external[0].Id}")).Tags!);

        // Bulk delete: the cancelled runs go; the running external run stays, with the single-run reason.
        await page.GetByTestId("bulk-delete").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete 3 runs" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("bulk-result")).ToContainTextAsync("2 deleted, 1 skipped", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId($"run-row-{newest.Id}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("runs-count")).ToHaveTextAsync("10 of 10 runs");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await platform.Api.GetAsync($"/api/runs/{nextNewest.Id}")).StatusCode);
        await Screenshots.SaveAsync(page, "runs-bulk-delete.png");
    }

    [Fact]
    public async Task RunPage_GroupedPanels_Lineage_AndACompareLinkThatKeepsItsView()
    {
        var experiment = $"cockpit-{Guid.NewGuid():N}"[..20];
        var first = await QueuedRunAsync(experiment, "lineage-root");
        var second = await QueuedRunAsync(experiment, "lineage-middle", new { runId = first.Id });
        var third = await QueuedRunAsync(experiment, "lineage-leaf", new { runId = second.Id });
        var metrics = new[] { ("eval/exact_match/pass@1", 0.4), ("reward/mean", 0.5), ("policy/kl", 0.02), ("loss/policy", 0.3), ("perf/tokens_per_s", 900.0), ("custom_score", 1.0) };
        var watched = await ExternalRunAsync(experiment, "grouped", metrics);
        var compared = await ExternalRunAsync(experiment, "grouped-2", metrics);

        // Lineage: the middle run names its parent (and the preset the chain started from) and the run that starts from it.
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{second.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("lineage-origin")).ToHaveTextAsync("preset tiny", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId($"lineage-ancestor-{first.Id}")).ToHaveTextAsync($"lineage-root #{first.Id}");
        await Assertions.Expect(page.GetByTestId($"lineage-descendant-{third.Id}")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "run-lineage.png");
        await page.GetByTestId($"lineage-descendant-{third.Id}").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/runs/{third.Id}$"));
        await Assertions.Expect(page.GetByTestId($"lineage-ancestor-{first.Id}")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId($"lineage-ancestor-{second.Id}")).ToHaveCountAsync(1);

        // Sections by prefix, eval first; each one collapses; Panels hides a section and a metric, kept in the address.
        await page.GotoAsync($"{platform.BaseUrl}/runs/{watched}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("run-lineage")).ToHaveCountAsync(0); // no parent, no child
        foreach (var group in new[] { "eval", "reward", "policy", "loss", "perf", "other" })
            await Assertions.Expect(page.GetByTestId($"metric-group-{group}")).ToHaveAttributeAsync("data-charts", "1", new() { Timeout = 15_000 });
        var order = await page.EvalOnSelectorAllAsync<string[]>("[data-testid^='metric-group-']:not([hidden]):not([data-testid*='toggle'])", "els => els.map(e => e.dataset.group)");
        Assert.Equal(["eval", "reward", "policy", "loss", "perf", "other"], order);
        await page.GetByTestId("metric-group-toggle-perf").ClickAsync();
        await Assertions.Expect(page.GetByTestId("metric-group-perf")).Not.ToHaveAttributeAsync("open", "");
        await page.GetByTestId("panels-button").ClickAsync();
        await page.GetByTestId("panel-group-loss").ClickAsync();
        await page.GetByTestId("panel-metric-policy/kl").ClickAsync();
        await page.GetByTestId("panels-done").ClickAsync();
        await Assertions.Expect(page.GetByTestId("metric-group-loss")).ToHaveAttributeAsync("data-chosen", "0");
        await Assertions.Expect(page.Locator("[data-metric-key='policy/kl']")).ToHaveAttributeAsync("data-chosen", "0");
        await Assertions.Expect(page.GetByTestId("metric-group-loss")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("metric-group-policy")).ToBeHiddenAsync(); // its one chart is hidden
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("hide=loss"));
        await Screenshots.SaveAsync(page, "run-metric-sections.png");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("metric-group-reward")).ToHaveAttributeAsync("data-charts", "1", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("metric-group-loss")).ToHaveAttributeAsync("data-chosen", "0");
        await Assertions.Expect(page.Locator("[data-metric-key='policy/kl']")).ToHaveAttributeAsync("data-chosen", "0");
        await Assertions.Expect(page.GetByTestId("reward-chart")).ToHaveAttributeAsync("data-points", "1");

        // Compare: a hand-written link opens on its metric and smoothing; picking another metric rewrites the address in place.
        await page.GotoAsync($"{platform.BaseUrl}/compare?ids={watched},{compared}&metric=policy/kl&smoothing=0.6");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        var chart = page.GetByTestId("compare-chart");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-metric", "policy/kl");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-series", "2", new() { Timeout = 15_000 });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-smoothing", "0.6");
        await Assertions.Expect(page.GetByTestId("chart-smoothing-value")).ToHaveTextAsync("0.60");
        await page.EvaluateAsync("() => { window.__samePage = true; }");
        var historyLength = await page.EvaluateAsync<int>("() => history.length");
        await page.GetByTestId("compare-metric").ClickAsync(new() { Force = true });
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "loss/policy" }).ClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-metric", "loss/policy");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]metric=loss%2Fpolicy|[?&]metric=loss/policy"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__samePage === true"), "the page reloaded");
        Assert.Equal(historyLength, await page.EvaluateAsync<int>("() => history.length"));
        await Screenshots.SaveAsync(page, "compare-address.png");
        var reopened = await platform.NewPageAsync();
        await reopened.GotoAsync(page.Url);
        await reopened.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(reopened.GetByTestId("compare-chart")).ToHaveAttributeAsync("data-metric", "loss/policy");
        await Assertions.Expect(reopened.GetByTestId("compare-chart")).ToHaveAttributeAsync("data-smoothing", "0.6", new() { Timeout = 15_000 });
        await reopened.CloseAsync();
    }

    private static ILocator Rows(IPage page) => page.Locator("[data-testid^='run-row-']");

    /// <summary>A native run on a queue no worker serves: it stays Queued, nothing trains it.</summary>
    private Task<RunDto> QueuedRunAsync(string experiment, string name, object? @base = null) => platform.CreateRunAsync(new
    {
        name, experiment, algorithm = "grpo", dataset = "addition-2digit", @base = @base ?? new { preset = "tiny" }, queue = IdleQueue,
        rewards = new[] { new { type = "exact_match", weight = 1.0 } }, settings = new { steps = 4, batchSize = 8, groupSize = 4 },
    });

    /// <summary>An external run (MLflow API) in <paramref name="experiment"/> with one point of each metric at step 1.</summary>
    private async Task<long> ExternalRunAsync(string experiment, string name, params (string Key, double Value)[] metrics)
    {
        var experimentId = (await MlflowAsync("experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(experiment), null))?["experiment"]?["experiment_id"]?.GetValue<string>()
            ?? (await MlflowAsync("experiments/create", new { name = experiment }))!["experiment_id"]!.GetValue<string>();
        var runId = (await MlflowAsync("runs/create", new { experiment_id = experimentId, run_name = name, start_time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }))!
            ["run"]!["info"]!["run_id"]!.GetValue<string>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await MlflowAsync("runs/log-batch", new { run_id = runId, metrics = metrics.Select(m => new { key = m.Key, value = m.Value, timestamp = now, step = 1 }).ToArray() });
        return long.Parse(runId, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An MLflow API call: POST with a body, else GET; null for a 404.</summary>
    private async Task<JsonObject?> MlflowAsync(string path, object? body)
    {
        using var response = body is null
            ? await platform.Api.GetAsync($"/api/2.0/mlflow/{path}")
            : await platform.Api.PostAsJsonAsync($"/api/2.0/mlflow/{path}", body);
        var text = await response.Content.ReadAsStringAsync();
        if (body is null && response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
