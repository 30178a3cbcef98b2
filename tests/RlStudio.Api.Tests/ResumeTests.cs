using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary><c>POST /api/runs/{id}/resume</c> with changed settings (a lower learning rate after a divergence): validated, then kept.</summary>
[Collection("api")]
public sealed class ResumeTests(ApiFixture fixture)
{
    [Fact]
    public async Task Resume_WithALowerLearningRate_QueuesTheRunWithIt()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Failed);

        using var response = await fixture.Client.PostAsJsonAsync($"/api/runs/{run.Id}/resume", new { settings = new { learningRate = 5e-5, steps = 40 } });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var resumed = (await response.Content.ReadFromJsonAsync<RunDto>())!;
        Assert.Equal((RunStatus.Queued, 5e-5, 40, 40), (resumed.Status, resumed.Settings.LearningRate, resumed.Settings.Steps, resumed.TotalSteps));
        Assert.Equal(run.Settings.BatchSize, resumed.Settings.BatchSize); // the rest keep their values
    }

    [Fact]
    public async Task Resume_WithABadSetting_Is400AndChangesNothing()
    {
        var run = await fixture.CreateRunAsync();
        await fixture.SetRunStatusAsync(run.Id, RunStatus.Failed);

        using var response = await fixture.Client.PostAsJsonAsync($"/api/runs/{run.Id}/resume", new { settings = new { learningRate = 7, nope = 1 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("settings.learningRate", body);
        Assert.Contains("nope", body);
        var unchanged = await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal((RunStatus.Failed, run.Settings.LearningRate), (unchanged!.Status, unchanged.Settings.LearningRate));
        // Without a body, resume works as before.
        using var plain = await fixture.Client.PostAsync($"/api/runs/{run.Id}/resume", null);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }
}
