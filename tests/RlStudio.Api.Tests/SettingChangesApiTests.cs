using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// <c>PATCH /api/runs/{id}/settings</c> (issue 13, live steering): validated like a new spec with every bad field named and
/// nothing recorded; a training run's worker gets the change with its next progress reply and reports the step it took
/// effect; the change is part of the run's history, so a claim that resumes before it replays it at that step and one
/// after it starts with it; resuming with other settings supersedes the changes of the steps it trains again.
/// </summary>
[Collection("api")]
public sealed class SettingChangesApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task TrainingRun_TakesTheChangeAtItsNextStepBoundary_AndItIsRecordedWithThatStep()
    {
        var (run, node, worker) = await TrainingRunAsync();

        using var response = await PatchAsync(run.Id, new { learningRate = 3e-5, temperature = 0.7, rewardWeights = new[] { 0.5 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var change = (await response.Content.ReadFromJsonAsync<SettingChangeDto>())!;
        Assert.Null(change.Step);
        Assert.True(change.Pending);
        Assert.Equal(1, await SummaryTokenAsync(run.Id));   // the pushed summary moves when a change is asked for…
        var reply = await ProgressAsync(node, worker, run.Id, 7);
        Assert.Equal(change.Id, Assert.Single(reply.SettingChanges!).Id);

        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/settings/{change.Id}", new SettingChangeApplied(worker, 8))).EnsureSuccessStatusCode();
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/settings/{change.Id}", new SettingChangeApplied(worker, 9))).EnsureSuccessStatusCode();

        var recorded = Assert.Single((await fixture.Client.GetFromJsonAsync<List<SettingChangeDto>>($"/api/runs/{run.Id}/settings/changes"))!);
        Assert.Equal((8, false), (recorded.Step, recorded.Pending));   // the first report counts
        Assert.Equal(2, await SummaryTokenAsync(run.Id));   // …and again when it is applied
        Assert.NotNull(recorded.RequestedBy);
        Assert.Null((await ProgressAsync(node, worker, run.Id, 8)).SettingChanges);
        var now = (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!;
        Assert.Equal((3e-5, 0.7, 0.5), (now.Settings.LearningRate, now.Settings.Temperature, now.Rewards[0].Weight));
        Assert.Equal(run.Settings.BatchSize, now.Settings.BatchSize);
    }

    [Fact]
    public async Task BadChange_Is400NamingEachField_AndRecordsNothing()
    {
        var (run, node, worker) = await TrainingRunAsync();
        await ProgressAsync(node, worker, run.Id, 5);

        using var response = await PatchAsync(run.Id, new
        {
            learningRate = -1, batchSize = 64, nope = 1, rewardWeights = new[] { 1.0, 2.0 },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "learningRate", "batchSize", "nope", "rewardWeights" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not named: {errors}");
        Assert.Contains("cannot change while the run trains", errors.GetProperty("batchSize")[0].GetString());
        using var rules = await PatchAsync(run.Id, new { beta = 0.0, steps = 3, atStep = 2 });
        var ruleErrors = (await rules.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "beta", "steps", "atStep" })
            Assert.True(ruleErrors.TryGetProperty(field, out _), $"{field} not named: {ruleErrors}");
        using var empty = await PatchAsync(run.Id, new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        Assert.Empty((await fixture.Client.GetFromJsonAsync<List<SettingChangeDto>>($"/api/runs/{run.Id}/settings/changes"))!);
        Assert.Equal(run.Settings.LearningRate, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.Settings.LearningRate);
    }

    [Fact]
    public async Task FinishedOrMissingRun_Refused()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Failed);
        using var failed = await PatchAsync(run.Id, new { learningRate = 1e-5 });
        Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
        Assert.Contains("resume it with settings", await failed.Content.ReadAsStringAsync());
        using var missing = await PatchAsync(987654, new { learningRate = 1e-5 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Claim_BeforeTheChangeReplaysItAtItsStep_AfterItStartsWithIt()
    {
        var (run, node, worker) = await TrainingRunAsync();
        using var response = await PatchAsync(run.Id, new { learningRate = 3e-5, steps = 30 });
        var change = (await response.Content.ReadFromJsonAsync<SettingChangeDto>())!;
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/settings/{change.Id}", new SettingChangeApplied(worker, 8))).EnsureSuccessStatusCode();
        Assert.Equal(30, (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.TotalSteps);

        (await fixture.UploadCheckpointAsync(run.Id, 5, [1, 2, 3])).EnsureSuccessStatusCode();
        var before = await ReclaimAsync(run.Id, node, worker);
        Assert.Equal((5, run.Settings.LearningRate, 10), (before.ResumeStep, before.Spec.Settings.LearningRate, before.Spec.Settings.Steps));
        Assert.Equal(8, Assert.Single(before.SettingChanges!).Step);

        (await fixture.UploadCheckpointAsync(run.Id, 10, [1, 2, 3])).EnsureSuccessStatusCode();
        var after = await ReclaimAsync(run.Id, node, worker);
        Assert.Equal((10, 3e-5, 30), (after.ResumeStep, after.Spec.Settings.LearningRate, after.Spec.Settings.Steps));
        Assert.Null(after.SettingChanges);
    }

    [Fact]
    public async Task QueuedRun_ChangeStartsAtItsFirstStep_AndAtStepSchedulesOne()
    {
        var run = await fixture.CreateRunAsync();
        using var now = await PatchAsync(run.Id, new { temperature = 0.5 });
        using var later = await PatchAsync(run.Id, new { learningRate = 2e-5, atStep = 6 });
        Assert.Equal(1, (await now.Content.ReadFromJsonAsync<SettingChangeDto>())!.Step);
        Assert.Equal(6, (await later.Content.ReadFromJsonAsync<SettingChangeDto>())!.Step);

        const string worker = "steer-queued";
        var node = fixture.Worker(worker);
        var claim = (await (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest(worker))).Content.ReadFromJsonAsync<RunClaim>())!;
        Assert.Equal(run.Settings.Temperature, claim.Spec.Settings.Temperature);   // step 1 is after the resume step 0: the worker applies it first
        Assert.Equal([1, 6], claim.SettingChanges!.Select(c => c.Step));
    }

    [Fact]
    public async Task ResumeWithSettings_SupersedesTheChangesOfTheStepsItTrainsAgain()
    {
        var (run, node, worker) = await TrainingRunAsync();
        using var response = await PatchAsync(run.Id, new { learningRate = 3e-5 });
        var change = (await response.Content.ReadFromJsonAsync<SettingChangeDto>())!;
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/settings/{change.Id}", new SettingChangeApplied(worker, 8))).EnsureSuccessStatusCode();
        (await fixture.UploadCheckpointAsync(run.Id, 5, [1, 2, 3])).EnsureSuccessStatusCode();
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/status", new RunStatusUpdate(worker, RunStatus.Failed, 9, "boom"))).EnsureSuccessStatusCode();

        using var resumed = await fixture.Client.PostAsJsonAsync($"/api/runs/{run.Id}/resume", new { settings = new { learningRate = 1e-5 } });
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);

        var changes = (await fixture.Client.GetFromJsonAsync<List<SettingChangeDto>>($"/api/runs/{run.Id}/settings/changes"))!;
        Assert.Equal(2, changes.Count);
        Assert.StartsWith("superseded", changes[0].Error);
        Assert.Equal(6, changes[1].Step);
        var claim = (await (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest(worker))).Content.ReadFromJsonAsync<RunClaim>())!;
        Assert.Equal(1e-5, SettingChanges.ApplyAll(claim.Spec, claim.SettingChanges!).Settings.LearningRate);
    }

    private async Task<(RunDto Run, HttpClient Node, string Worker)> TrainingRunAsync()
    {
        var run = await fixture.CreateRunAsync();
        var worker = $"steer-{run.Id}";
        var node = fixture.Worker(worker);
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest(worker))).EnsureSuccessStatusCode();
        (await node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/status", new RunStatusUpdate(worker, RunStatus.Running, 0))).EnsureSuccessStatusCode();
        return (run, node, worker);
    }

    private async Task<RunClaim> ReclaimAsync(long runId, HttpClient node, string worker)
    {
        await fixture.SetRunStatusAsync(runId, RunStatus.Lost);
        var response = await node.PostAsJsonAsync($"/api/ingest/runs/{runId}/claim", new ClaimRunRequest(worker));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunClaim>())!;
    }

    private static async Task<RunProgressReply> ProgressAsync(HttpClient node, string worker, long runId, int step) =>
        (await (await node.PostAsJsonAsync($"/api/ingest/runs/{runId}/progress", new RunProgress(worker, step))).Content.ReadFromJsonAsync<RunProgressReply>())!;

    private Task<HttpResponseMessage> PatchAsync(long runId, object body) =>
        fixture.Client.PatchAsJsonAsync($"/api/runs/{runId}/settings", body);

    private Task<int> SummaryTokenAsync(long runId) =>
        fixture.WithDbAsync(async db => (await RlStudio.Data.Queries.RunQueries.GetRunSummaryAsync(db, runId, CancellationToken.None))!.SettingChanges);
}
