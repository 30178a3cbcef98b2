using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Hangfire;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>Checkpoint exports: queued as a recorded export and a Hangfire job, reported by the worker, listed, pushed live.</summary>
[Collection("api")]
public sealed class CheckpointExportTests(ApiFixture fixture)
{
    [Fact]
    public async Task Export_StoredCheckpoint_RecordsAQueuedExportAndAWorkerJobOnTheRunsQueue()
    {
        var (run, checkpoint) = await RunWithCheckpointAsync(step: 1);

        var response = await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{checkpoint.Id}/export", new ExportCheckpointRequest("/models/exports/test"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var export = (await response.Content.ReadFromJsonAsync<CheckpointExportDto>())!;
        Assert.Equal($"/api/exports/{export.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal((checkpoint.Id, run.Id, 1, "/models/exports/test", run.Queue, ExportStatus.Queued, (string?)null),
            (export.CheckpointId, export.RunId, export.Step, export.Folder, export.Queue, export.Status, export.Worker));
        var job = fixture.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(export.JobId);
        Assert.Equal("ExportAsync", job.Job.Method.Name);
        Assert.Equal(new object[] { export.Id, checkpoint.Id, "/models/exports/test" }, job.Job.Args.Take(3));

        Assert.Equal(export, await fixture.Client.GetFromJsonAsync<CheckpointExportDto>($"/api/exports/{export.Id}"));
        var listed = await fixture.Client.GetFromJsonAsync<List<CheckpointExportDto>>($"/api/runs/{run.Id}/exports");
        Assert.Equal(new[] { export }, listed);
    }

    [Fact]
    public async Task WorkerReports_RunningThenSucceeded_AreRecordedAndGuarded()
    {
        var export = await QueueExportAsync();

        var running = await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Running));
        Assert.Equal(HttpStatusCode.OK, running.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Running))).StatusCode); // a retried report
        Assert.Equal(HttpStatusCode.Conflict, (await ReportAsync(export.Id, new ExportStatusUpdate("node-b", ExportStatus.Succeeded))).StatusCode);

        var done = await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Succeeded));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Succeeded))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ReportAsync(export.Id, new ExportStatusUpdate("node-b", ExportStatus.Running))).StatusCode);

        var stored = (await fixture.Client.GetFromJsonAsync<CheckpointExportDto>($"/api/exports/{export.Id}"))!;
        Assert.Equal((ExportStatus.Succeeded, "node-a", (string?)null), (stored.Status, stored.Worker, stored.Error));
        Assert.NotNull(stored.StartedAt);
        Assert.True(stored.FinishedAt >= stored.StartedAt);
    }

    [Fact]
    public async Task WorkerReports_Failed_KeepsTheError()
    {
        var export = await QueueExportAsync();
        await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Running));

        var failed = await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Failed, "Access to the path '/models' is denied."));

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var stored = (await failed.Content.ReadFromJsonAsync<CheckpointExportDto>())!;
        Assert.Equal((ExportStatus.Failed, "Access to the path '/models' is denied."), (stored.Status, stored.Error));
    }

    [Fact]
    public async Task WorkerReports_Invalid_Return400Or404()
    {
        var export = await QueueExportAsync();
        var queued = await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Queued));
        Assert.Equal(HttpStatusCode.BadRequest, queued.StatusCode);
        Assert.Contains("\"status\"", await queued.Content.ReadAsStringAsync());
        var noWorker = await ReportAsync(export.Id, new ExportStatusUpdate(" ", ExportStatus.Running));
        Assert.Equal(HttpStatusCode.BadRequest, noWorker.StatusCode);
        Assert.Contains("\"worker\"", await noWorker.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(987654, new ExportStatusUpdate("node-a", ExportStatus.Running))).StatusCode);
        Assert.Equal(ExportStatus.Queued, (await fixture.Client.GetFromJsonAsync<CheckpointExportDto>($"/api/exports/{export.Id}"))!.Status);
    }

    [Fact]
    public async Task Retention_KeepsACheckpointWhileItsExportIsPending()
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs",
            ApiFixture.ValidRunRequest(ApiFixture.UniqueName("export-retain"), new { steps = 40, batchSize = 16, groupSize = 4, keepLastCheckpoints = 1 }));
        var run = (await response.Content.ReadFromJsonAsync<RunDto>())!;
        var first = (await (await fixture.UploadCheckpointAsync(run.Id, 10, [1])).Content.ReadFromJsonAsync<CheckpointDto>())!;
        var export = (await (await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{first.Id}/export", new ExportCheckpointRequest("/models/keep")))
            .Content.ReadFromJsonAsync<CheckpointExportDto>())!;

        await fixture.UploadCheckpointAsync(run.Id, 20, [2]);
        await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Running));
        await fixture.UploadCheckpointAsync(run.Id, 30, [3]);
        Assert.Equal(new[] { 10, 30 }, await StepsAsync(run.Id));

        await ReportAsync(export.Id, new ExportStatusUpdate("node-a", ExportStatus.Succeeded));
        await fixture.UploadCheckpointAsync(run.Id, 40, [4]);
        Assert.Equal(new[] { 40 }, await StepsAsync(run.Id));
        // The export's record outlives its checkpoint.
        Assert.Equal((first.Id, 10, ExportStatus.Succeeded), await fixture.Client.GetFromJsonAsync<CheckpointExportDto>($"/api/exports/{export.Id}") is { } e
            ? (e.CheckpointId, e.Step, e.Status) : default);
    }

    [Fact]
    public async Task RunGroup_ReceivesExportUpdated_WhenQueuedAndReported()
    {
        var (run, checkpoint) = await RunWithCheckpointAsync(step: 2);
        await using var hub = fixture.ConnectHub();
        var statuses = new List<ExportStatus>();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<CheckpointExportDto>(nameof(IRunHubClient.ExportUpdated), export =>
        {
            lock (statuses) statuses.Add(export.Status);
            if (export.Status == ExportStatus.Running) running.TrySetResult();
        });
        await hub.StartAsync();
        await hub.InvokeAsync("JoinRun", run.Id);

        var queued = (await (await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{checkpoint.Id}/export", new ExportCheckpointRequest("/models/live")))
            .Content.ReadFromJsonAsync<CheckpointExportDto>())!;
        await Task.Delay(600); // the pushes are coalesced every 250 ms: let "Queued" go out on its own
        await ReportAsync(queued.Id, new ExportStatusUpdate("node-a", ExportStatus.Running));

        await running.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (statuses) Assert.Equal([ExportStatus.Queued, ExportStatus.Running], statuses);
    }

    [Theory]
    [InlineData(null, "folder")]
    [InlineData("relative/path", "folder")]
    [InlineData("/models/../etc", "folder")]
    public async Task Export_BadFolder_Returns400NamingIt(string? folder, string field)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/checkpoints/1/export", new ExportCheckpointRequest(folder));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/etc/exports", "outside the model roots of the worker nodes serving queue 'default': /models")]
    [InlineData("/modelsX/a", "outside the model roots")]
    public async Task Export_FolderOutsideTheWorkersRoots_Returns400NamingTheRoots(string folder, string message)
    {
        var (_, checkpoint) = await RunWithCheckpointAsync(step: 1);
        var before = await fixture.WithDbAsync(db => db.CheckpointExports.CountAsync());
        var response = await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{checkpoint.Id}/export", new ExportCheckpointRequest(folder));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await fixture.WithDbAsync(db => db.CheckpointExports.CountAsync()));
    }

    [Fact]
    public async Task Export_UnknownCheckpoint_Returns404AndRecordsNothing()
    {
        var before = await fixture.WithDbAsync(db => Task.FromResult(db.CheckpointExports.Count()));
        var response = await fixture.Client.PostAsJsonAsync("/api/checkpoints/987654/export", new ExportCheckpointRequest("/models/x"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await fixture.WithDbAsync(db => Task.FromResult(db.CheckpointExports.Count())));
    }

    [Fact]
    public async Task Get_UnknownExportOrRun_Returns404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/api/exports/987654")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/api/runs/987654/exports")).StatusCode);
    }

    private async Task<(RunDto Run, CheckpointDto Checkpoint)> RunWithCheckpointAsync(int step)
    {
        var run = await fixture.CreateRunAsync();
        var response = await fixture.UploadCheckpointAsync(run.Id, step, [1, 2, 3]);
        return (run, (await response.Content.ReadFromJsonAsync<CheckpointDto>())!);
    }

    private async Task<CheckpointExportDto> QueueExportAsync()
    {
        var (_, checkpoint) = await RunWithCheckpointAsync(step: 1);
        var response = await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{checkpoint.Id}/export", new ExportCheckpointRequest("/models/exports/x"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CheckpointExportDto>())!;
    }

    private Task<HttpResponseMessage> ReportAsync(long exportId, ExportStatusUpdate update) =>
        fixture.Worker(string.IsNullOrWhiteSpace(update.Worker) ? "node-a" : update.Worker).PostAsJsonAsync($"/api/ingest/exports/{exportId}/status", update);

    private async Task<int[]> StepsAsync(long runId) =>
        (await fixture.Client.GetFromJsonAsync<List<CheckpointDto>>($"/api/runs/{runId}/checkpoints"))!.Select(c => c.Step).ToArray();
}
