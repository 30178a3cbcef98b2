using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Workers;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class WorkersApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task List_AfterHeartbeatAndClaim_ShowsOnlineNodeWithItsRun()
    {
        var name = ApiFixture.UniqueName("node");
        var heartbeat = await fixture.Worker(name).PostAsJsonAsync("/api/ingest/workers/heartbeat", new WorkerHeartbeat(name, "cpu ×2", null, null, ["default", "gpu"]));
        Assert.Equal(HttpStatusCode.NoContent, heartbeat.StatusCode);
        var run = await fixture.CreateRunAsync();
        await fixture.Worker(name).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest(name));

        var workers = await fixture.Client.GetFromJsonAsync<WorkerNodeDto[]>("/api/workers");

        var node = Assert.Single(workers!, w => w.Name == name);
        Assert.True(node.Online);
        Assert.Equal(["default", "gpu"], node.Queues);
        Assert.Equal([run.Id], node.ActiveRuns);
    }
}
