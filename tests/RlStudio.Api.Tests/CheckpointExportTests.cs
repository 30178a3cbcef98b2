using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class CheckpointExportTests(ApiFixture fixture)
{
    [Fact]
    public async Task Export_StoredCheckpoint_QueuesAWorkerJobOnTheRunsQueue()
    {
        var run = await fixture.CreateRunAsync();
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var checkpoint = await (await fixture.Client.PostAsync($"/api/ingest/runs/{run.Id}/checkpoints?step=1", content)).Content.ReadFromJsonAsync<CheckpointDto>();

        var response = await fixture.Client.PostAsJsonAsync($"/api/checkpoints/{checkpoint!.Id}/export", new ExportCheckpointRequest("/models/exports/test"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var export = (await response.Content.ReadFromJsonAsync<CheckpointExportDto>())!;
        Assert.Equal((checkpoint.Id, "/models/exports/test", run.Queue), (export.CheckpointId, export.Folder, export.Queue));
        var job = fixture.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(export.JobId);
        Assert.Equal("ExportAsync", job.Job.Method.Name);
        Assert.Equal(checkpoint.Id, job.Job.Args[0]);
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

    [Fact]
    public async Task Export_UnknownCheckpoint_Returns404()
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/checkpoints/987654/export", new ExportCheckpointRequest("/models/x"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
