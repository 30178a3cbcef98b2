using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Auth;

namespace RlStudio.Api.Tests;

/// <summary>
/// The MLflow-compatible tracking API driven with the requests MLflow's Python client sends (bodies as protobuf's JSON
/// writes them: int64 fields as strings), TRL's MLflow callback's sequence, and MLflow's errors and limits.
/// </summary>
[Collection("api")]
public sealed class MlflowApiTests(ApiFixture fixture)
{
    private const string Api = "/api/2.0/mlflow";

    [Fact]
    public async Task PythonClientSequence_StartLogEnd_IsAnExternalRunWithHistoryAndLivePushes()
    {
        var experimentName = ApiFixture.UniqueName("mlflow-exp");
        // mlflow.set_experiment(name): looked up by name, created when missing.
        using (var missing = await fixture.Client.GetAsync($"{Api}/experiments/get-by-name?experiment_name={experimentName}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("RESOURCE_DOES_NOT_EXIST", (await Json(missing))["error_code"]!.GetValue<string>());
        }
        var experimentId = (await PostAsync("experiments/create", new JsonObject { ["name"] = experimentName }))["experiment_id"]!.GetValue<string>();
        var experiment = (await GetAsync($"experiments/get?experiment_id={experimentId}"))["experiment"]!;
        Assert.Equal((experimentName, "active"), (experiment["name"]!.GetValue<string>(), experiment["lifecycle_stage"]!.GetValue<string>()));

        // mlflow.start_run(run_name=...)
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var created = await PostAsync("runs/create", JsonNode.Parse($$"""
            {"experiment_id": "{{experimentId}}", "user_id": "researcher", "start_time": "{{start}}", "run_name": "trl-grpo-1",
             "tags": [{"key": "mlflow.user", "value": "researcher"}, {"key": "mlflow.source.name", "value": "train_grpo.py"},
                      {"key": "mlflow.source.type", "value": "LOCAL"}, {"key": "mlflow.runName", "value": "trl-grpo-1"}]}
            """)!.AsObject());
        var info = created["run"]!["info"]!;
        var runId = info["run_id"]!.GetValue<string>();
        Assert.Equal(("RUNNING", "trl-grpo-1", start), (info["status"]!.GetValue<string>(), info["run_name"]!.GetValue<string>(), info["start_time"]!.GetValue<long>()));

        await using var hub = fixture.ConnectHub();
        var pushed = new List<MetricPoint>();
        var gotAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long, IReadOnlyList<MetricPoint>>(nameof(IRunHubClient.MetricsAppended), (id, points) =>
        {
            lock (pushed) { pushed.AddRange(points); if (pushed.Count(p => p.Key == "train/reward") >= 5) gotAll.TrySetResult(); }
        });
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRun", long.Parse(runId));

        // log_params (one batch), log_metrics(step=i) in a loop, set_tag, end_run.
        await PostAsync("runs/log-batch", JsonNode.Parse($$"""
            {"run_id": "{{runId}}", "params": [{"key": "learning_rate", "value": "1e-06"}, {"key": "num_generations", "value": "8"}], "metrics": [], "tags": []}
            """)!.AsObject());
        for (var step = 1; step <= 5; step++)
        {
            var time = start + step * 1000;
            await PostAsync("runs/log-batch", JsonNode.Parse($$"""
                {"run_id": "{{runId}}", "metrics": [{"key": "train/reward", "value": {{0.1 * step}}, "timestamp": "{{time}}", "step": "{{step}}"},
                                                    {"key": "train/kl", "value": {{0.01 * step}}, "timestamp": "{{time}}", "step": "{{step}}"}]}
                """)!.AsObject());
        }
        await PostAsync("runs/set-tag", new JsonObject { ["run_id"] = runId, ["run_uuid"] = runId, ["key"] = "trainer", ["value"] = "trl" });
        await PostAsync("runs/log-metric", new JsonObject { ["run_id"] = runId, ["key"] = "train/loss", ["value"] = 0.5, ["timestamp"] = start, ["step"] = 5 });
        await gotAll.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var updated = await PostAsync("runs/update", new JsonObject { ["run_id"] = runId, ["run_uuid"] = runId, ["status"] = "FINISHED", ["end_time"] = end.ToString() });
        Assert.Equal(("FINISHED", end), (updated["run_info"]!["status"]!.GetValue<string>(), updated["run_info"]!["end_time"]!.GetValue<long>()));

        // What MLflow gives back.
        var run = (await GetAsync($"runs/get?run_id={runId}"))["run"]!;
        var metrics = run["data"]!["metrics"]!.AsArray().ToDictionary(m => m!["key"]!.GetValue<string>(), m => m!);
        Assert.Equal((0.5, 5, start + 5000), (metrics["train/reward"]["value"]!.GetValue<double>(), metrics["train/reward"]["step"]!.GetValue<long>(),
            metrics["train/reward"]["timestamp"]!.GetValue<long>()));
        var parameters = run["data"]!["params"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        Assert.Equal("1e-06", parameters["learning_rate"]);
        var tags = run["data"]!["tags"]!.AsArray().ToDictionary(t => t!["key"]!.GetValue<string>(), t => t!["value"]!.GetValue<string>());
        Assert.Equal(("trl", "train_grpo.py", "trl-grpo-1"), (tags["trainer"], tags["mlflow.source.name"], tags["mlflow.runName"]));
        var history = (await GetAsync($"metrics/get-history?run_id={runId}&metric_key=train/reward"))["metrics"]!.AsArray();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], history.Select(m => m!["step"]!.GetValue<long>()));
        Assert.Equal(start + 3000, history[2]!["timestamp"]!.GetValue<long>());
        Assert.Equal(5, pushed.Count(p => p.Key == "train/reward"));

        // And what RL Studio shows: an external run in its experiment, its params as configuration, the same series.
        var native = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{runId}");
        Assert.Equal((Algorithm.External, RunStatus.Succeeded, experimentName, 5, null), (native!.Algorithm, native.Status, native.Experiment, native.Step, native.DatasetId));
        Assert.Equal("8", native.Params!["num_generations"]);
        var series = await fixture.Client.GetFromJsonAsync<MetricsResponse>($"/api/runs/{runId}/metrics?keys=train/reward");
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], Assert.Single(series!.Series).Points.Select(p => Math.Round(p.Value, 6)));
        Assert.Contains((await fixture.Client.GetFromJsonAsync<List<RunDto>>("/api/runs"))!, r => r.Id == native.Id);
    }

    [Fact]
    public async Task TrlCallbackSequence_ParamsInChunksOf100_MetricsPerLoggingStep_EndRun()
    {
        // transformers' MLflowCallback: start_run(run_name=args.run_name); log_params in chunks of MAX_PARAMS_TAGS_PER_BATCH
        // (100); log_metrics(metrics, step=state.global_step) on each on_log; end_run() at on_train_end.
        var experimentId = (await PostAsync("experiments/create", new JsonObject { ["name"] = ApiFixture.UniqueName("trl") }))["experiment_id"]!.GetValue<string>();
        var runId = (await PostAsync("runs/create", new JsonObject
        {
            ["experiment_id"] = experimentId, ["run_name"] = "Qwen2.5-0.5B-GRPO", ["start_time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(),
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "mlflow.source.name", ["value"] = "trl/scripts/grpo.py" }),
        }))["run"]!["info"]!["run_id"]!.GetValue<string>();
        var trainingArguments = Enumerable.Range(0, 150).Select(i => (Key: $"arg_{i:000}", Value: $"{i}")).ToList();
        foreach (var chunk in trainingArguments.Chunk(100))
        {
            await PostAsync("runs/log-batch", new JsonObject
            {
                ["run_id"] = runId,
                ["params"] = new JsonArray(chunk.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
            });
        }
        foreach (var globalStep in new[] { 10, 20, 30 })
        {
            var metrics = new Dictionary<string, double>
            {
                ["loss"] = 0.1 / globalStep, ["grad_norm"] = 1.5, ["learning_rate"] = 1e-6, ["epoch"] = globalStep / 30.0,
                ["rewards/accuracy_reward/mean"] = globalStep / 40.0, ["completions/mean_length"] = 120 + globalStep, ["kl"] = 0.001 * globalStep,
            };
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await PostAsync("runs/log-batch", new JsonObject
            {
                ["run_id"] = runId,
                ["metrics"] = new JsonArray(metrics.Select(m => (JsonNode)new JsonObject
                {
                    ["key"] = m.Key, ["value"] = m.Value, ["timestamp"] = timestamp.ToString(), ["step"] = globalStep.ToString(),
                }).ToArray()),
            });
        }
        await PostAsync("runs/update", new JsonObject { ["run_id"] = runId, ["status"] = "FINISHED", ["end_time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });

        var native = (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{runId}"))!;
        Assert.Equal(150, native.Params!.Count);
        Assert.Equal((30, RunStatus.Succeeded, "Qwen2.5-0.5B-GRPO"), (native.Step, native.Status, native.Name));
        Assert.Equal(0.75, native.LatestMetrics["rewards/accuracy_reward/mean"], 9);
        var history = (await GetAsync($"metrics/get-history?run_id={runId}&metric_key=kl&max_results=2"))!;
        Assert.Equal([10L, 20L], history["metrics"]!.AsArray().Select(m => m!["step"]!.GetValue<long>()));
        var rest = await GetAsync($"metrics/get-history?run_id={runId}&metric_key=kl&max_results=2&page_token={Uri.EscapeDataString(history["next_page_token"]!.GetValue<string>())}");
        Assert.Equal([30L], rest["metrics"]!.AsArray().Select(m => m!["step"]!.GetValue<long>()));
        Assert.Null(rest["next_page_token"]);

        // The chart view's bulk read: one metric of the run between two steps.
        var interval = await GetAsync($"metrics/get-history-bulk-interval?run_ids={runId}&metric_key=kl&start_step=15&end_step=30");
        Assert.Equal([(20L, runId), (30L, runId)], interval["metrics"]!.AsArray().Select(m => (m!["step"]!.GetValue<long>(), m["run_id"]!.GetValue<string>())));
        var thinned = await GetAsync($"metrics/get-history-bulk-interval?run_ids={runId}&metric_key=kl&max_results=2");
        Assert.Equal([10L, 30L], thinned["metrics"]!.AsArray().Select(m => m!["step"]!.GetValue<long>()));
    }

    [Fact]
    public async Task DefaultExperiment_AndRunSearch_ByMetricParamTagAndAttributes()
    {
        var name = ApiFixture.UniqueName("mlflow-search");
        var experimentId = (await PostAsync("experiments/create", new JsonObject { ["name"] = name }))["experiment_id"]!.GetValue<string>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await PostAsync("runs/create", new JsonObject { ["experiment_id"] = experimentId, ["run_name"] = $"r{i}" }))["run"]!["info"]!["run_id"]!.GetValue<string>();
            ids.Add(id);
            await PostAsync("runs/log-batch", JsonNode.Parse($$"""
                {"run_id": "{{id}}", "metrics": [{"key": "reward", "value": {{i}}, "timestamp": 1700000000000, "step": 1}],
                 "params": [{"key": "lr", "value": "{{(i == 2 ? "0.1" : "0.01")}}"}], "tags": [{"key": "algo", "value": "{{(i == 0 ? "ppo" : "grpo")}}"}]}
                """)!.AsObject());
        }

        async Task<List<string>> SearchAsync(string? filter, params string[] orderBy)
        {
            var body = new JsonObject { ["experiment_ids"] = new JsonArray(experimentId), ["filter"] = filter, ["max_results"] = 10 };
            if (orderBy.Length > 0) body["order_by"] = new JsonArray(orderBy.Select(o => (JsonNode)o).ToArray());
            var found = await PostAsync("runs/search", body);
            return found["runs"]?.AsArray().Select(r => r!["info"]!["run_name"]!.GetValue<string>()).ToList() ?? [];
        }

        Assert.Equal(["r1", "r2"], await SearchAsync("metrics.reward >= 1", "metrics.reward ASC"));
        Assert.Equal(["r2"], await SearchAsync("params.lr = '0.1'"));
        Assert.Equal(["r2", "r1"], await SearchAsync("tags.algo = 'grpo' and attributes.status = 'RUNNING'", "metrics.reward DESC"));
        Assert.Equal(["r0"], await SearchAsync("attributes.run_name LIKE 'r0%'"));
        Assert.Equal(["r0", "r2"], await SearchAsync("run_name IN ('r0', 'r2')", "attributes.run_name"));
        using (var bad = await fixture.Client.PostAsJsonAsync($"{Api}/runs/search", new { experiment_ids = new[] { experimentId }, filter = "metrics.reward > 'high'" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("INVALID_PARAMETER_VALUE", (await Json(bad))["error_code"]!.GetValue<string>());
        }

        // Paging.
        var first = await PostAsync("runs/search", new JsonObject { ["experiment_ids"] = new JsonArray(experimentId), ["max_results"] = 2, ["order_by"] = new JsonArray("attributes.run_name") });
        var token = first["next_page_token"]!.GetValue<string>();
        var second = await PostAsync("runs/search", new JsonObject { ["experiment_ids"] = new JsonArray(experimentId), ["max_results"] = 2, ["order_by"] = new JsonArray("attributes.run_name"), ["page_token"] = token });
        Assert.Equal("r2", Assert.Single(second["runs"]!.AsArray())!["info"]!["run_name"]!.GetValue<string>());
        Assert.Null(second["next_page_token"]);

        // A client that sets no experiment writes to "0": the experiment named Default.
        var inDefault = await PostAsync("runs/create", new JsonObject { ["run_name"] = "no-experiment" });
        var defaultId = inDefault["run"]!["info"]!["experiment_id"]!.GetValue<string>();
        Assert.Equal("Default", (await GetAsync($"experiments/get?experiment_id={defaultId}"))["experiment"]!["name"]!.GetValue<string>());
        var experiments = await PostAsync("experiments/search", new JsonObject { ["filter"] = $"name = '{name}'" });
        Assert.Equal(experimentId, Assert.Single(experiments["experiments"]!.AsArray())!["experiment_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_AreMlflowsAndStoreNothing()
    {
        var runId = (await PostAsync("runs/create", new JsonObject { ["run_name"] = "errors" }))["run"]!["info"]!["run_id"]!.GetValue<string>();
        await PostAsync("runs/log-parameter", new JsonObject { ["run_id"] = runId, ["key"] = "lr", ["value"] = "0.1" });

        await ExpectErrorAsync("runs/log-parameter", new JsonObject { ["run_id"] = runId, ["key"] = "lr", ["value"] = "0.2" }, "INVALID_PARAMETER_VALUE", "Changing param values");
        var tooMany = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode)new JsonObject { ["key"] = "m", ["value"] = 1, ["timestamp"] = 1, ["step"] = i }).ToArray());
        await ExpectErrorAsync("runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = tooMany }, "INVALID_PARAMETER_VALUE", "at most 1000 metrics");
        var manyParams = new JsonArray(Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["key"] = $"p{i}", ["value"] = "v" }).ToArray());
        await ExpectErrorAsync("runs/log-batch", new JsonObject { ["run_id"] = runId, ["params"] = manyParams }, "INVALID_PARAMETER_VALUE", "at most 100 params");
        await ExpectErrorAsync("runs/log-metric", new JsonObject { ["run_id"] = runId, ["key"] = "m", ["value"] = 1 }, "INVALID_PARAMETER_VALUE", "timestamp");
        await ExpectErrorAsync("runs/log-metric", new JsonObject { ["run_id"] = "99999999", ["key"] = "m", ["value"] = 1, ["timestamp"] = 1 }, "RESOURCE_DOES_NOT_EXIST", "not found");
        await ExpectErrorAsync("runs/update", new JsonObject { ["run_id"] = runId, ["status"] = "DONE" }, "INVALID_PARAMETER_VALUE", "status");
        await ExpectErrorAsync("experiments/create", new JsonObject { ["name"] = "Default" }, "RESOURCE_ALREADY_EXISTS", "already exists");
        using (var broken = await fixture.Client.PostAsync($"{Api}/runs/log-batch", new StringContent("{\"run_id\": ", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
            Assert.Equal("INVALID_PARAMETER_VALUE", (await Json(broken))["error_code"]!.GetValue<string>());
        }
        var stored = (await GetAsync($"runs/get?run_id={runId}"))["run"]!["data"]!;
        Assert.Null(stored["metrics"]?.AsArray().FirstOrDefault());
        Assert.Equal("0.1", stored["params"]!.AsArray().Single()!["value"]!.GetValue<string>());

        // A run RL Studio trains takes no values from outside; another account's external run is not writable.
        var native = await fixture.CreateRunAsync();
        await ExpectErrorAsync("runs/log-metric", new JsonObject { ["run_id"] = native.Id.ToString(), ["key"] = "m", ["value"] = 1, ["timestamp"] = 1 },
            "INVALID_PARAMETER_VALUE", "trained by RL Studio");
        var (_, stranger) = await fixture.AccountAsync(Roles.Researcher);
        using var refused = await stranger.PostAsJsonAsync($"{Api}/runs/log-metric", new { run_id = runId, key = "m", value = 1, timestamp = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("PERMISSION_DENIED", (await Json(refused))["error_code"]!.GetValue<string>());
        // RL Studio's own endpoints say where external runs come from.
        using var queued = await fixture.Client.PostAsJsonAsync("/api/runs", new { name = "x", algorithm = "external", dataset = "addition-3digit", @base = new { preset = "tiny" } });
        Assert.Equal(HttpStatusCode.BadRequest, queued.StatusCode);
        Assert.Contains("/api/2.0/mlflow", await queued.Content.ReadAsStringAsync());
        using var cancel = await fixture.Client.PostAsync($"/api/runs/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
    }

    [Fact]
    public async Task BasicAuth_NameAndKey_AsMlflowTrackingUsernameAndPassword()
    {
        var (user, _) = await fixture.AccountAsync(Roles.Researcher);
        using var key = await fixture.Client.PostAsJsonAsync($"/api/users/{user.Id}/keys", new { name = "mlflow" });
        var secret = (await key.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Name}:{secret}")));
        using var created = await client.PostAsJsonAsync($"{Api}/runs/create", new { run_name = "basic" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using var anonymous = await fixture.Anonymous.PostAsJsonAsync($"{Api}/runs/create", new { run_name = "nobody" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Artifacts_LogTextAndTable_StoredListedAndTheTableBecomesRollouts()
    {
        var run = (await PostAsync("runs/create", new JsonObject { ["run_name"] = "artifacts" }))["run"]!["info"]!;
        var runId = run["run_id"]!.GetValue<string>();
        var root = run["artifact_uri"]!.GetValue<string>();
        Assert.StartsWith("mlflow-artifacts:/", root);
        var url = "/api/2.0/mlflow-artifacts/artifacts/" + root["mlflow-artifacts:/".Length..];
        await PostAsync("runs/log-metric", new JsonObject { ["run_id"] = runId, ["key"] = "reward", ["value"] = 1, ["timestamp"] = 1, ["step"] = 7 });

        // mlflow.log_text and mlflow.log_table put files through the proxy.
        using (var put = await fixture.Client.PutAsync($"{url}/notes/readme.txt", new StringContent("hello")))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var table = """{"columns": ["prompt", "completion", "reward"], "data": [["2+2=", "4", 1.0], ["3+3=", "7", 0.0]]}""";
        using (var put = await fixture.Client.PutAsync($"{url}/samples/step_7.json", new StringContent(table)))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        Assert.Equal("hello", await fixture.Client.GetStringAsync($"{url}/notes/readme.txt"));
        var listing = await GetAsync($"artifacts/list?run_id={runId}");
        Assert.Equal(["notes", "samples"], listing["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()));
        Assert.All(listing["files"]!.AsArray(), f => Assert.True(f!["is_dir"]!.GetValue<bool>()));
        var proxied = JsonNode.Parse(await fixture.Client.GetStringAsync($"/api/2.0/mlflow-artifacts/artifacts?path={root["mlflow-artifacts:/".Length..]}/samples"))!;
        var file = Assert.Single(proxied["files"]!.AsArray())!;
        Assert.Equal(("step_7.json", table.Length), (file["path"]!.GetValue<string>(), file["file_size"]!.GetValue<int>()));

        var rollouts = await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{runId}/rollouts?limit=10");
        Assert.Equal([("2+2=", "4", 1.0, 7), ("3+3=", "7", 0.0, 7)],
            rollouts!.OrderBy(r => r.Prompt).Select(r => (r.Prompt, r.Completion, r.Reward, r.Step)));

        // Refusals: a path out of the run's root, a file too large, another account's run, a missing file.
        using (var traversal = await fixture.Client.PutAsync($"{url}/a/%2E%2E/%2E%2E/x.txt", new StringContent("x")))
            Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        using (var large = await fixture.Client.PutAsync($"{url}/big.bin", new ByteArrayContent(new byte[16 * 1024 * 1024 + 1])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
            Assert.Contains("at most 16 MiB", await large.Content.ReadAsStringAsync());
        }
        var (_, stranger) = await fixture.AccountAsync(Roles.Researcher);
        using (var foreign = await stranger.PutAsync($"{url}/x.txt", new StringContent("x")))
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        using (var missing = await fixture.Client.GetAsync($"{url}/nothing.txt"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task ExpectErrorAsync(string path, JsonObject body, string code, string message)
    {
        using var response = await fixture.Client.PostAsJsonAsync($"{Api}/{path}", body);
        var json = await Json(response);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {response.StatusCode} {json}");
        Assert.Equal(code, json["error_code"]!.GetValue<string>());
        Assert.Contains(message, json["message"]!.GetValue<string>());
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await fixture.Client.PostAsJsonAsync($"{Api}/{path}", body);
        var json = await Json(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {json}");
        return json;
    }

    private async Task<JsonObject> GetAsync(string path)
    {
        using var response = await fixture.Client.GetAsync($"{Api}/{path}");
        var json = await Json(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {json}");
        return json;
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
