using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Web.Alarms;

namespace RlStudio.Api.Tests;

/// <summary>
/// Alarms through the platform: a run whose reports show collapsed outputs (a format reward satisfied by one constant
/// completion) raises diversity_collapse — in <c>GET /api/runs/{id}/alarms</c>, on the run (<c>alarms</c>) and once only;
/// a healthy run's reports raise none.
/// </summary>
[Collection("api")]
public sealed class AlarmsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task CollapsedOutputs_RaiseDiversityCollapse_Once()
    {
        var run = await fixture.CreateRunAsync();
        var points = Enumerable.Range(1, 8).SelectMany(step => new[]
        {
            new MetricPoint(MetricPoint.RewardMean, step, 1.0), new MetricPoint(AlarmRules.Distinct, step, 0.125), new MetricPoint(AlarmRules.Entropy, step, 0.9),
        }).ToArray();
        await fixture.PostMetricsAsync(run.Id, points);

        var alarms = await WaitForAlarmsAsync(run.Id);
        var alarm = Assert.Single(alarms);
        Assert.Equal((AlarmKinds.DiversityCollapse, 8), (alarm.Kind, alarm.Step));
        Assert.Contains("12.5% of each group's completions differ", alarm.Message);
        Assert.Equal([AlarmKinds.DiversityCollapse], (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.Alarms);

        await fixture.PostMetricsAsync(run.Id, new MetricPoint(AlarmRules.Distinct, 9, 0.125));
        await fixture.Factory.Services.GetRequiredService<AlarmMonitor>().CheckAsync(run.Id, CancellationToken.None);
        Assert.Single((await fixture.Client.GetFromJsonAsync<List<AlarmDto>>($"/api/runs/{run.Id}/alarms"))!);
    }

    [Fact]
    public async Task AlarmPauseOn_AnAlarmPausesTheRun_OnRecordAsTheAlarmsDoing()
    {
        var run = await fixture.CreateRunAsync();
        (await fixture.Client.PatchAsJsonAsync($"/api/runs/{run.Id}/settings", new { alarmPause = true })).EnsureSuccessStatusCode();
        var points = Enumerable.Range(1, 8).SelectMany(step => new[]
        {
            new MetricPoint(MetricPoint.RewardMean, step, 1.0), new MetricPoint(AlarmRules.Distinct, step, 0.125),
        }).ToArray();
        await fixture.PostMetricsAsync(run.Id, points);

        Assert.Single(await WaitForAlarmsAsync(run.Id));
        var paused = await WaitForAsync(run.Id, r => r.Status is RunStatus.PauseRequested or RunStatus.Paused);
        Assert.True(paused.Status is RunStatus.PauseRequested or RunStatus.Paused, $"{paused.Status}");
        var events = (await fixture.Client.GetFromJsonAsync<List<RunEventDto>>($"/api/runs/{run.Id}/events"))!;
        Assert.Contains(events, e => e is { Kind: RunEventKind.Action, Message: "pause" } && e.Who == $"alarm: {AlarmKinds.DiversityCollapse}");
        Assert.Contains(events, e => e.Kind == RunEventKind.Alarm);
        Assert.Contains(events, e => e.Kind == RunEventKind.Status && e.Message.StartsWith("Pause", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthyRun_RaisesNone_AndAMissingRunIs404()
    {
        var run = await fixture.CreateRunAsync();
        var points = Enumerable.Range(1, 25).SelectMany(step => new[]
        {
            new MetricPoint(MetricPoint.RewardMean, step, 0.1 + 0.01 * step), new MetricPoint(AlarmRules.Distinct, step, 0.9),
            new MetricPoint(AlarmRules.Entropy, step, 1.1), new MetricPoint(AlarmRules.Kl, step, 0.02), new MetricPoint(AlarmRules.GradNorm, step, 1 + step % 2),
        }).ToArray();
        await fixture.PostMetricsAsync(run.Id, points);

        Assert.Empty(await fixture.Factory.Services.GetRequiredService<AlarmMonitor>().CheckAsync(run.Id, CancellationToken.None));
        Assert.Empty((await fixture.Client.GetFromJsonAsync<List<AlarmDto>>($"/api/runs/{run.Id}/alarms"))!);
        Assert.Null((await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}"))!.Alarms);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/api/runs/987654/alarms")).StatusCode);
    }

    private async Task<RunDto> WaitForAsync(long runId, Func<RunDto, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var run = (await fixture.Client.GetFromJsonAsync<RunDto>($"/api/runs/{runId}"))!;
            if (done(run) || DateTime.UtcNow > deadline) return run;
            await Task.Delay(100);
        }
    }

    private async Task<List<AlarmDto>> WaitForAlarmsAsync(long runId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var alarms = (await fixture.Client.GetFromJsonAsync<List<AlarmDto>>($"/api/runs/{runId}/alarms"))!;
            if (alarms.Count > 0 || DateTime.UtcNow > deadline) return alarms;
            await Task.Delay(100);
        }
    }
}
