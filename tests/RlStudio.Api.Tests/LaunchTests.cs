using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Launchers;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Auth;
using RlStudio.Web.Launchers;

namespace RlStudio.Api.Tests;

/// <summary>
/// External runs launched on a Ray cluster through Ray's Jobs API (a <see cref="FakeRayCluster"/> over real HTTP): clusters
/// only an Admin registers, the submission with the MLflow variables and a run-scoped key, the run following its job's
/// status, cancel stopping it, the log tail, the key's reach and its end.
/// </summary>
[Collection("api")]
public sealed class LaunchTests(ApiFixture fixture) : IAsyncLifetime
{
    private FakeRayCluster _ray = null!;
    private string _cluster = "";

    public async Task InitializeAsync()
    {
        _ray = await FakeRayCluster.StartAsync();
        _cluster = ApiFixture.UniqueName("ray").ToLowerInvariant();
        using var registered = await fixture.Client.PostAsJsonAsync("/api/ray-clusters",
            new CreateRayClusterRequest(_cluster, _ray.Address, "X-Ray-Token", "cluster-secret"));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    public async Task DisposeAsync() => await _ray.DisposeAsync();

    [Fact]
    public async Task LaunchedRun_SubmittedWithMlflowVariables_FollowsItsJob_AndItsKeyReportsIntoItOnly()
    {
        var (_, researcher) = await fixture.AccountAsync(Roles.Researcher);
        var run = await CreateAsync(researcher, new JsonObject
        {
            ["type"] = "ray", ["cluster"] = _cluster, ["entrypoint"] = "python3 -m verl.trainer.main_ppo trainer.logger=['console','mlflow']",
            ["runtimeEnv"] = new JsonObject { ["pip"] = new JsonArray("verl==0.4.0"), ["env_vars"] = new JsonObject { ["HF_HOME"] = "/cache/hf" } },
            ["entrypointNumGpus"] = 8,
        });
        Assert.Equal((Algorithm.External, RunStatus.Queued, _cluster), (run.Algorithm, run.Status, run.Launch!.Cluster));

        await SweepAsync();

        var job = Assert.Single(_ray.Jobs.Values, j => j.Submission["submission_id"]!.GetValue<string>() == $"rlstudio-run-{run.Id}");
        var submission = job.Submission;
        Assert.Equal("python3 -m verl.trainer.main_ppo trainer.logger=['console','mlflow']", submission["entrypoint"]!.GetValue<string>());
        Assert.Equal(8, submission["entrypoint_num_gpus"]!.GetValue<double>());
        Assert.Equal("verl==0.4.0", submission["runtime_env"]!["pip"]![0]!.GetValue<string>());
        var env = submission["runtime_env"]!["env_vars"]!.AsObject();
        Assert.Equal(("/cache/hf", "http://rlstudio.test", run.Id.ToString()),
            (env["HF_HOME"]!.GetValue<string>(), env["MLFLOW_TRACKING_URI"]!.GetValue<string>(), env["MLFLOW_RUN_ID"]!.GetValue<string>()));
        Assert.All(_ray.Requests, headers => Assert.Equal("cluster-secret", headers["X-Ray-Token"].ToString()));
        Assert.Equal(RunStatus.Starting, (await GetRunAsync(run.Id)).Status);

        job.Status = "RUNNING";
        await SweepAsync();
        Assert.Equal(RunStatus.Running, (await GetRunAsync(run.Id)).Status);

        // The job reports with the injected key, as mlflow.start_run() does with MLFLOW_RUN_ID set: into its run only.
        using var reporter = fixture.WithKey(env["MLFLOW_TRACKING_TOKEN"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await reporter.GetAsync($"/api/2.0/mlflow/runs/get?run_id={run.Id}")).StatusCode);
        (await reporter.PostAsJsonAsync("/api/2.0/mlflow/runs/log-batch", new
        {
            run_id = run.Id.ToString(),
            metrics = new[] { new { key = "critic/score/mean", value = 0.42, timestamp = 1700000000000, step = 1 } },
            @params = new[] { new { key = "actor_rollout_ref.actor.optim.lr", value = "1e-06" } },
        })).EnsureSuccessStatusCode();
        Assert.Equal(0.42, (await GetRunAsync(run.Id)).LatestMetrics["critic/score/mean"]);
        var other = await fixture.CreateRunAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync($"/api/2.0/mlflow/runs/get?run_id={other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsJsonAsync("/api/2.0/mlflow/runs/create", new { run_name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("/api/runs")).StatusCode);

        // The log tail, read from the cluster.
        job.Logs = "step 1: critic/score/mean=0.42\n";
        var logs = await researcher.GetFromJsonAsync<RunLogsDto>($"/api/runs/{run.Id}/logs");
        Assert.Equal(($"rlstudio-run-{run.Id}", "step 1: critic/score/mean=0.42\n"), (logs!.SubmissionId, logs.Logs));

        job.Status = "SUCCEEDED";
        await SweepAsync();
        var done = await GetRunAsync(run.Id);
        Assert.Equal((RunStatus.Succeeded, "SUCCEEDED"), (done.Status, done.Launch!.JobStatus));
        Assert.Equal(HttpStatusCode.Unauthorized, (await reporter.GetAsync($"/api/2.0/mlflow/runs/get?run_id={run.Id}")).StatusCode);
    }

    [Fact]
    public async Task FailedJob_FailsTheRunWithItsMessage_AndARefusedSubmissionSaysWhy()
    {
        var failing = await CreateAsync(fixture.Client, Ray("python3 train.py"));
        await SweepAsync();
        var job = _ray.Jobs[$"rlstudio-run-{failing.Id}"];
        (job.Status, job.Message) = ("FAILED", "Job entrypoint command failed with exit code 1");
        await SweepAsync();
        var failed = await GetRunAsync(failing.Id);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("exit code 1", failed.Error);

        _ray.RefuseNextSubmission = "runtime_env: pip package 'nope' not found";
        var refused = await CreateAsync(fixture.Client, Ray("python3 train.py"));
        await SweepAsync();
        var refusedNow = await GetRunAsync(refused.Id);
        Assert.Equal(RunStatus.Failed, refusedNow.Status);
        Assert.Contains("pip package 'nope' not found", refusedNow.Error);
    }

    [Fact]
    public async Task Cancel_StopsTheJob_AndTheRunEndsCancelled()
    {
        var run = await CreateAsync(fixture.Client, Ray("python3 train.py"));
        await SweepAsync();
        _ray.Jobs[$"rlstudio-run-{run.Id}"].Status = "RUNNING";
        await SweepAsync();

        (await fixture.Client.PostAsync($"/api/runs/{run.Id}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal(RunStatus.CancelRequested, (await GetRunAsync(run.Id)).Status);
        await SweepAsync();

        Assert.Equal(1, _ray.Jobs[$"rlstudio-run-{run.Id}"].StopCalls);
        var cancelled = await GetRunAsync(run.Id);
        Assert.Equal((RunStatus.Cancelled, "STOPPED"), (cancelled.Status, cancelled.Launch!.JobStatus));

        // A run cancelled before it was submitted is never submitted.
        var early = await CreateAsync(fixture.Client, Ray("python3 train.py"));
        (await fixture.Client.PostAsync($"/api/runs/{early.Id}/cancel", null)).EnsureSuccessStatusCode();
        await SweepAsync();
        Assert.False(_ray.Jobs.ContainsKey($"rlstudio-run-{early.Id}"));
    }

    [Fact]
    public async Task Clusters_OnlyAdminsRegister_AndRunsNameOnlyRegisteredOnes()
    {
        var (_, researcher) = await fixture.AccountAsync(Roles.Researcher);
        var listed = await researcher.GetFromJsonAsync<List<RayClusterDto>>("/api/ray-clusters");
        Assert.True(Assert.Single(listed!, c => c.Name == _cluster).HasAuthHeader);
        Assert.DoesNotContain("cluster-secret", await researcher.GetStringAsync("/api/ray-clusters"));
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.PostAsJsonAsync("/api/ray-clusters", new CreateRayClusterRequest("mine", "http://evil:8265"))).StatusCode);
        using (var bad = await fixture.Client.PostAsJsonAsync("/api/ray-clusters", new CreateRayClusterRequest("Bad Name", "ftp://x")))
        {
            var text = await bad.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("name", text);
            Assert.Contains("address", text);
        }

        async Task<string> RefusedAsync(object body)
        {
            using var response = await researcher.PostAsJsonAsync("/api/runs", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("launcher.address", await RefusedAsync(new { name = "x", algorithm = "external", launcher = new { type = "ray", address = "http://evil:8265", entrypoint = "rm -rf /" } }));
        Assert.Contains("/api/2.0/mlflow", await RefusedAsync(new { name = "x", algorithm = "external" }));
        var mixed = await RefusedAsync(new { name = "x", algorithm = "external", dataset = "addition-3digit", launcher = new { type = "k8s", cluster = _cluster } });
        Assert.Contains("dataset", mixed);
        Assert.Contains("launcher.type", mixed);
        Assert.Contains("launcher.entrypoint", mixed);
        Assert.Contains("launcher", await RefusedAsync(new
        {
            name = "x", algorithm = "grpo", dataset = "addition-3digit", @base = new { preset = "tiny" }, rewards = new[] { new { type = "exact_match" } },
            launcher = new { type = "ray", cluster = _cluster, entrypoint = "x" },
        }));
    }

    private JsonObject Ray(string entrypoint) => new() { ["type"] = "ray", ["cluster"] = _cluster, ["entrypoint"] = entrypoint };

    private static async Task<RunDto> CreateAsync(HttpClient client, JsonObject launcher)
    {
        using var response = await client.PostAsJsonAsync("/api/runs", new JsonObject
        {
            ["name"] = ApiFixture.UniqueName("launched"), ["experiment"] = "ray-tests", ["algorithm"] = "external", ["launcher"] = launcher,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }

    private async Task<RunDto> GetRunAsync(long id) => (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{id}"))!;

    private Task SweepAsync() => fixture.Factory.Services.GetRequiredService<ExternalLaunchMonitor>().SweepAsync(CancellationToken.None);
}
