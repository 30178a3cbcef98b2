using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// <c>GET /api/runs/{id}/lineage</c>: up the chain of bases (a checkpoint, or a run's newest checkpoint) to the preset the
/// first run started from, and down to the runs that start from a run or its checkpoints.
/// </summary>
[Collection("api")]
public sealed class RunLineageTests(ApiFixture fixture)
{
    [Fact]
    public async Task Lineage_FollowsCheckpointsAndRunsBothWays()
    {
        var root = await fixture.CreateRunAsync();
        var checkpoint = (await (await fixture.UploadCheckpointAsync(root.Id, 2, [1, 2, 3])).Content.ReadFromJsonAsync<CheckpointDto>())!;
        var child = await CreateFromAsync(new { checkpointId = checkpoint.Id });
        var sibling = await CreateFromAsync(new { checkpointId = checkpoint.Id });
        var grandchild = await CreateFromAsync(new { runId = child.Id });

        var up = await LineageAsync(grandchild.Id);
        Assert.Equal(grandchild.Id, up.RunId);
        Assert.Equal([child.Id, root.Id], up.Ancestors.Select(a => a.RunId));
        Assert.Equal((child.Name, (long?)null, (int?)null), (up.Ancestors[0].Name, up.Ancestors[0].CheckpointId, up.Ancestors[0].CheckpointStep));
        Assert.Equal((checkpoint.Id, 2), (up.Ancestors[1].CheckpointId!.Value, up.Ancestors[1].CheckpointStep!.Value));
        Assert.Equal(Algorithm.Grpo, up.Ancestors[1].Algorithm);
        Assert.Equal("tiny", up.Origin.Preset);
        Assert.Empty(up.Descendants);

        var down = await LineageAsync(root.Id);
        Assert.Empty(down.Ancestors);
        Assert.Equal("tiny", down.Origin.Preset);
        Assert.Equal([child.Id, sibling.Id], down.Descendants.Select(d => d.RunId));
        Assert.All(down.Descendants, d => Assert.Equal((checkpoint.Id, 2), (d.CheckpointId!.Value, d.CheckpointStep!.Value)));

        var middle = await LineageAsync(child.Id);
        Assert.Equal([root.Id], middle.Ancestors.Select(a => a.RunId));
        Assert.Equal(grandchild.Id, Assert.Single(middle.Descendants).RunId);
        Assert.Null(middle.Descendants[0].CheckpointId);
    }

    [Fact]
    public async Task Lineage_OfAMissingRun_Is404()
    {
        var response = await fixture.Client.GetAsync("/api/runs/987654321/lineage");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<RunDto> CreateFromAsync(object @base)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", new
        {
            name = ApiFixture.UniqueName("lineage"), experiment = "tests", algorithm = "grpo", dataset = "addition-3digit", @base,
            rewards = new[] { new { type = "exact_match", weight = 1.0 } }, settings = new { steps = 10, batchSize = 16, groupSize = 4 },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }

    private async Task<RunLineageDto> LineageAsync(long runId) =>
        (await fixture.Client.GetFromJsonAsync<RunLineageDto>($"/api/runs/{runId}/lineage"))!;
}
