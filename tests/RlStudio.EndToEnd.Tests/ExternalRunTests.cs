using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Runs trained elsewhere, reported through the MLflow-compatible API: a browser watches an external run's chart grow
/// as a trainer logs, and the npm MLflow client (vendored in MlflowNpm/) goes create → log-batch → get-history.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ExternalRunTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task ExternalRun_LoggedThroughMlflow_ChartGrowsLiveInTheBrowser()
    {
        var experiment = $"trl-{Guid.NewGuid():N}"[..16];
        var experimentId = (await MlflowAsync("experiments/create", new { name = experiment }))["experiment_id"]!.GetValue<string>();
        var runId = (await MlflowAsync("runs/create", new { experiment_id = experimentId, run_name = "trl-grpo", start_time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }))
            ["run"]!["info"]!["run_id"]!.GetValue<string>();
        await MlflowAsync("runs/log-batch", new { run_id = runId, @params = new[] { new { key = "learning_rate", value = "1e-06" } } });

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{runId}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Running");
        await Assertions.Expect(page.GetByTestId("run-params")).ToContainTextAsync("learning_rate=1e-06");

        var chart = page.Locator("[data-metric-key='train/reward']");
        for (var step = 1; step <= 6; step++)
        {
            await MlflowAsync("runs/log-batch", new
            {
                run_id = runId,
                metrics = new[] { new { key = "train/reward", value = 0.1 * step, timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), step } },
            });
            // Each point arrives pushed over SignalR: the page never reloads.
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", step.ToString(), new() { Timeout = 15_000 });
        }
        await Assertions.Expect(page.GetByTestId("run-step")).ToHaveTextAsync("6");

        await MlflowAsync("runs/update", new { run_id = runId, status = "FINISHED", end_time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 15_000 });

        // In the runs list with its algorithm, and downloadable as CSV like any run.
        await page.GotoAsync($"{platform.BaseUrl}/runs?q=trl-grpo");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId($"run-row-{runId}")).ToContainTextAsync("External");
        var csv = await platform.Api.GetStringAsync($"/api/runs/{runId}/metrics.csv");
        Assert.Contains("train/reward", csv);
        Assert.Equal(7, csv.Trim().Split('\n').Length);
    }

    [Fact]
    public async Task LongHistory_IsDrawnDownsampled_AndADragZoomsInAtFullDetail()
    {
        const int steps = 5000;
        var experimentId = (await MlflowAsync("experiments/create", new { name = $"zoom-{Guid.NewGuid():N}"[..16] }))["experiment_id"]!.GetValue<string>();
        var runId = (await MlflowAsync("runs/create", new { experiment_id = experimentId, run_name = "long-history" }))["run"]!["info"]!["run_id"]!.GetValue<string>();
        for (var first = 1; first <= steps; first += 1000)
        {
            var metrics = Enumerable.Range(first, 1000).Select(step => new { key = "train/loss", value = Math.Sin(step / 40.0) + (step == 2345 ? 5 : 0), timestamp = 0L, step });
            await MlflowAsync("runs/log-batch", new { run_id = runId, metrics });
        }

        var page = await platform.NewPageAsync();
        await page.SetViewportSizeAsync(1400, 1000);
        await page.GotoAsync($"{platform.BaseUrl}/runs/{runId}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        var chart = page.Locator("[data-metric-key='train/loss']");
        // 5000 steps in 1000 buckets, each drawn as its last point with its min..max band.
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "1000", new() { Timeout = 15_000 });

        var overlay = chart.Locator(".u-over");
        var box = (await overlay.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.40f, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.45f, box.Y + box.Height / 2, new() { Steps = 5 });
        await page.Mouse.UpAsync();

        await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-zoom", "", new() { Timeout = 15_000 });
        var zoom = (await chart.GetAttributeAsync("data-zoom"))!.Split('-').Select(int.Parse).ToArray();
        var points = int.Parse((await chart.GetAttributeAsync("data-points"))!);
        output.WriteLine($"zoomed to steps {zoom[0]}..{zoom[1]}: {points} points");
        Assert.InRange(zoom[1] - zoom[0], 100, 1000);
        Assert.Equal(zoom[1] - zoom[0] + 1, points);   // every step of the range: full detail from the server

        await overlay.DblClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-zoom", "", new() { Timeout = 15_000 });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "1000");
    }

    [Fact]
    public async Task NpmMlflowClient_CreatesLogsAndReadsHistory()
    {
        var node = Path.Combine(AppContext.BaseDirectory, ".playwright", "node", "linux-x64", "node");
        Assert.True(File.Exists(node), $"Playwright's node is expected at {node}");
        var folder = Path.Combine(AppContext.BaseDirectory, "MlflowNpm");
        var experiment = $"npm-{Guid.NewGuid():N}"[..16];
        var start = new ProcessStartInfo(node) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(folder, "client-flow.js"), platform.BaseUrl, PlatformFixture.AdminKey, experiment }) start.ArgumentList.Add(argument);
        start.Environment["NODE_PATH"] = Path.Combine(folder, "modules");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(await stdout);
        Assert.True(process.ExitCode == 0, $"node exited {process.ExitCode}: {await stderr}");

        var line = (await stdout).Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        var result = JsonNode.Parse(line["RESULT ".Length..])!;
        Assert.Equal([0.1, 0.2, 0.3], result["history"]!["metrics"]!.AsArray().Select(m => m!["value"]!.GetValue<double>()));
        Assert.Equal("FINISHED", result["status"]!.GetValue<string>());
        var run = await platform.GetAsync<RunDto>($"/api/runs/{result["run_id"]!.GetValue<string>()}");
        Assert.Equal((Algorithm.External, experiment, "0.001"), (run.Algorithm, run.Experiment, run.Params!["lr"]));
    }

    [Fact]
    public async Task LaunchedOnRay_RunPageShowsTheJob_ItsLogTail_AndCancelStopsIt()
    {
        await using var ray = await RlStudio.Api.Tests.FakeRayCluster.StartAsync();
        var cluster = $"ray-{Guid.NewGuid():N}"[..14];
        (await platform.Api.PostAsJsonAsync("/api/ray-clusters", new { name = cluster, address = ray.Address })).EnsureSuccessStatusCode();
        using var created = await platform.Api.PostAsJsonAsync("/api/runs", new
        {
            name = "verl-ppo", experiment = "ray-e2e", algorithm = "external",
            launcher = new { type = "ray", cluster, entrypoint = "python3 -m verl.trainer.main_ppo", entrypointNumGpus = 8 },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var run = (await created.Content.ReadFromJsonAsync<RunDto>(PlatformFixture.Json))!;
        var submissionId = $"rlstudio-run-{run.Id}";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!ray.Jobs.ContainsKey(submissionId) && DateTime.UtcNow < deadline) await Task.Delay(100);
        var job = ray.Jobs[submissionId];
        job.Logs = "(TaskRunner pid=42) step:1 - critic/score/mean:0.12\n";
        job.Status = "RUNNING";

        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Running", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("run-launch")).ToContainTextAsync($"Ray cluster {cluster}");
        await page.GetByTestId("job-log-refresh").ClickAsync();
        await Assertions.Expect(page.GetByTestId("job-log-text")).ToContainTextAsync("critic/score/mean:0.12");

        await page.GetByTestId("cancel-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Cancelled", new() { Timeout = 15_000 });
        Assert.True(job.StopCalls >= 1);
    }

    private async Task<JsonObject> MlflowAsync(string path, object body)
    {
        using var response = await platform.Api.PostAsJsonAsync($"/api/2.0/mlflow/{path}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
