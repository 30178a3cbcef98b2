using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Labeling;
using RlStudio.Web.Auth;
using static RlStudio.Api.Tests.LabelingFlow;

namespace RlStudio.Api.Tests;

/// <summary>
/// <c>/api/labeling</c>: items handed to each labeler at most once, filled up to the overlap and never past it (also when
/// labelers ask at once), sides shuffled per assignment and answers stored in the item's own order, one label per
/// submit, skip, undo, 204 when nothing is left, the batch's own labelers only.
/// </summary>
[Collection("api")]
public sealed class LabelingApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Answers_SidesShuffledPerAssignment_StoredAsTheItemsOwnAB()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 40, overlap: 1);
        var (_, labeler) = await fixture.AccountAsync(Roles.Labeler);
        var swappedSeen = 0;
        while (await NextAsync(labeler, batch.Id) is { } item)
        {
            if (item.Left.StartsWith('B')) swappedSeen++;
            // Always prefer the side showing response B; ordinals 0..19 say "left", the rest whatever side B is on.
            (await LabelAsync(labeler, item.ItemId, SideOfB(item))).EnsureSuccessStatusCode();
        }
        Assert.InRange(swappedSeen, 1, 39); // both orders occur (all 40 the same: 2^-39)
        var stored = await fixture.WithDbAsync(db => db.PreferenceLabels.Where(l => l.BatchId == batch.Id).Select(l => l.Choice).ToListAsync());
        Assert.Equal(40, stored.Count);
        Assert.All(stored, c => Assert.Equal(PreferenceChoice.B, c));
    }

    [Fact]
    public async Task Next_FillsStartedItemsFirst_AndNeverHandsAnItemTwiceToOneLabeler()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 5, overlap: 2);
        var (_, first) = await fixture.AccountAsync(Roles.Labeler);
        var (_, second) = await fixture.AccountAsync(Roles.Labeler);
        var item = (await NextAsync(first, batch.Id))!;
        (await LabelAsync(first, item.ItemId, "left")).EnsureSuccessStatusCode();

        // The item one label short of its target goes out before untouched ones.
        Assert.Equal(item.ItemId, (await NextAsync(second, batch.Id))!.ItemId);
        // The first labeler never gets it again: their next is another item.
        var again = (await NextAsync(first, batch.Id))!;
        Assert.NotEqual(item.ItemId, again.ItemId);
        Assert.Equal(batch.Id, again.BatchId);
        Assert.Equal(1, again.Done);
    }

    [Fact]
    public async Task ManyLabelersAtOnce_EachItemGetsExactlyItsOverlap()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 12, overlap: 2);
        var labelers = new List<HttpClient>();
        for (var i = 0; i < 5; i++) labelers.Add((await fixture.AccountAsync(Roles.Labeler)).Client);

        var answered = await Task.WhenAll(labelers.Select(l => Task.Run(() => LabelAllAsync(l, batch.Id, _ => "left"))));

        Assert.All(answered, ids => Assert.Equal(ids.Count, ids.Distinct().Count()));
        var perItem = await fixture.WithDbAsync(db => db.PreferenceLabels.Where(l => l.BatchId == batch.Id)
            .GroupBy(l => l.ItemId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(12, perItem.Count);
        Assert.All(perItem, count => Assert.Equal(2, count));
        var batchNow = await fixture.Client.GetFromJsonAsync<ComparisonBatchDto>($"/api/comparison-batches/{batch.Id}");
        Assert.Equal((24, 12), (batchNow!.LabelCount, batchNow.CompleteItems));
    }

    [Fact]
    public async Task TwoLabelersAskingAtOnce_OverlapOne_NeverBothHoldTheSameItem()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 30, overlap: 1);
        var (_, a) = await fixture.AccountAsync(Roles.Labeler);
        var (_, b) = await fixture.AccountAsync(Roles.Labeler);
        var held = new List<long>();
        for (var round = 0; round < 4; round++)
        {
            var both = await Task.WhenAll(NextAsync(a, batch.Id, [.. held]), NextAsync(b, batch.Id, [.. held]));
            Assert.NotEqual(both[0]!.ItemId, both[1]!.ItemId);
            held.AddRange(both.Select(i => i!.ItemId));
        }
        Assert.Equal(held.Count, held.Distinct().Count());
    }

    [Fact]
    public async Task SubmitTwice_StoresOneLabel_AndAnswersTheSame()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 2, overlap: 1);
        var (_, labeler) = await fixture.AccountAsync(Roles.Labeler);
        var item = (await NextAsync(labeler, batch.Id))!;

        var responses = await Task.WhenAll(LabelAsync(labeler, item.ItemId, "right", "clearer"), LabelAsync(labeler, item.ItemId, "right", "clearer"));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var labels = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<LabelDto>()));
        Assert.All(labels, l => Assert.Equal((SideChoice.Right, "clearer"), (l!.Side, l.Rationale)));
        Assert.Equal(1, await fixture.WithDbAsync(db => db.PreferenceLabels.CountAsync(l => l.ItemId == item.ItemId)));
    }

    [Fact]
    public async Task Skip_TheItemIsNotHandedBack_AndCannotBeAnswered()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 2, overlap: 1);
        var (_, labeler) = await fixture.AccountAsync(Roles.Labeler);
        var item = (await NextAsync(labeler, batch.Id))!;

        Assert.Equal(HttpStatusCode.NoContent, (await labeler.PostAsync($"/api/labeling/{item.ItemId}/skip", null)).StatusCode);

        var next = (await NextAsync(labeler, batch.Id))!;
        Assert.NotEqual(item.ItemId, next.ItemId);
        Assert.Equal(HttpStatusCode.NotFound, (await labeler.PostAsync($"/api/labeling/{item.ItemId}/skip", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await LabelAsync(labeler, item.ItemId, "left")).StatusCode);
        (await LabelAsync(labeler, next.ItemId, "left")).EnsureSuccessStatusCode();
        Assert.Null(await NextAsync(labeler, batch.Id));
        // Another labeler still gets the skipped item.
        var (_, other) = await fixture.AccountAsync(Roles.Labeler);
        Assert.Equal(item.ItemId, (await NextAsync(other, batch.Id))!.ItemId);
    }

    [Fact]
    public async Task Undo_RemovesTheLabel_AndTheItemIsTheirsToAnswerAgain()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 1, overlap: 1);
        var (_, labeler) = await fixture.AccountAsync(Roles.Labeler);
        var item = (await NextAsync(labeler, batch.Id))!;
        (await LabelAsync(labeler, item.ItemId, "tie")).EnsureSuccessStatusCode();
        Assert.Null(await NextAsync(labeler, batch.Id));

        Assert.Equal(HttpStatusCode.NoContent, (await labeler.DeleteAsync($"/api/labeling/{item.ItemId}")).StatusCode);

        Assert.Equal(0, await fixture.WithDbAsync(db => db.PreferenceLabels.CountAsync(l => l.ItemId == item.ItemId)));
        var back = (await NextAsync(labeler, batch.Id))!;
        Assert.Equal((item.ItemId, item.Left), (back.ItemId, back.Left)); // the same sides as before
        Assert.Equal(HttpStatusCode.NotFound, (await labeler.DeleteAsync($"/api/labeling/{item.ItemId}")).StatusCode);
        var relabel = await (await LabelAsync(labeler, item.ItemId, "both_bad")).Content.ReadFromJsonAsync<LabelDto>();
        Assert.Equal(PreferenceChoice.BothBad, relabel!.Choice);
        var actions = await fixture.WithDbAsync(db => db.AuditLog.Where(e => e.TargetType == "item" && e.TargetId == item.ItemId.ToString()).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["label.create", "label.undo", "label.create"], actions);
    }

    [Fact]
    public async Task NothingLeft_Answers204()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 1, overlap: 1);
        var (_, first) = await fixture.AccountAsync(Roles.Labeler);
        var (_, second) = await fixture.AccountAsync(Roles.Labeler);
        var item = (await NextAsync(first, batch.Id))!;
        // Held by the first labeler: the only place is taken.
        Assert.Null(await NextAsync(second, batch.Id));
        (await LabelAsync(first, item.ItemId, "left")).EnsureSuccessStatusCode();
        Assert.Null(await NextAsync(second, batch.Id));
        var listed = await second.GetFromJsonAsync<List<LabelingBatchDto>>("/api/labeling/batches");
        Assert.Equal(0, Assert.Single(listed!, b => b.Id == batch.Id).Open);
    }

    [Fact]
    public async Task NamedLabelers_OnlyTheyMayLabel()
    {
        var (allowed, allowedClient) = await fixture.AccountAsync(Roles.Labeler);
        var (_, other) = await fixture.AccountAsync(Roles.Labeler);
        var batch = await SampledReadyBatchAsync(new { labelers = new[] { allowed.Name }, allowTies = false, allowBothBad = false });

        Assert.NotNull(await NextAsync(allowedClient, batch.Id));
        using var refused = await other.GetAsync($"/api/labeling/next?batchId={batch.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(await other.GetFromJsonAsync<List<LabelingBatchDto>>("/api/labeling/batches") ?? [], b => b.Id == batch.Id);
        Assert.Contains(await allowedClient.GetFromJsonAsync<List<LabelingBatchDto>>("/api/labeling/batches") ?? [], b => b.Id == batch.Id);
    }

    [Fact]
    public async Task TiesAndBothBad_RefusedWhereTheBatchAllowsNone()
    {
        var (labeler, client) = await fixture.AccountAsync(Roles.Labeler);
        var batch = await SampledReadyBatchAsync(new { labelers = new[] { labeler.Name }, allowTies = false, allowBothBad = false });
        var item = (await NextAsync(client, batch.Id))!;
        Assert.False(item.AllowTies);

        foreach (var choice in new[] { "tie", "both_bad", "sideways", "" })
        {
            using var response = await LabelAsync(client, item.ItemId, choice);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("choice", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, await fixture.WithDbAsync(db => db.PreferenceLabels.CountAsync(l => l.ItemId == item.ItemId)));
    }

    [Fact]
    public async Task Refusals_NameWhatIsWrong()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 1, overlap: 1);
        var (_, labeler) = await fixture.AccountAsync(Roles.Labeler);
        Assert.Equal(HttpStatusCode.BadRequest, (await labeler.GetAsync("/api/labeling/next")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await labeler.GetAsync($"/api/labeling/next?batchId={batch.Id}&except=x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await labeler.GetAsync("/api/labeling/next?batchId=99999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await LabelAsync(labeler, 99999999, "left")).StatusCode);
        // Not handed out yet: 409 saying to ask first.
        var itemId = await fixture.WithDbAsync(db => db.ComparisonItems.Where(i => i.BatchId == batch.Id).Select(i => i.Id).SingleAsync());
        using var early = await LabelAsync(labeler, itemId, "left");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("ask for the next item", await early.Content.ReadAsStringAsync());
        var item = (await NextAsync(labeler, batch.Id))!;
        using var long_ = await LabelAsync(labeler, item.ItemId, "left", new string('x', 5000));
        Assert.Equal(HttpStatusCode.BadRequest, long_.StatusCode);
        using var negative = await labeler.PostAsJsonAsync($"/api/labeling/{item.ItemId}", new { choice = "left", seconds = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(0, await fixture.WithDbAsync(db => db.PreferenceLabels.CountAsync(l => l.ItemId == item.ItemId)));
        // The time on screen the client reports is kept (capped by the server's own measure, here ≥ 0.3 s).
        await Task.Delay(300);
        var stored = await (await labeler.PostAsJsonAsync($"/api/labeling/{item.ItemId}", new { choice = "left", seconds = 0.25 })).Content.ReadFromJsonAsync<LabelDto>();
        Assert.Equal(0.25, stored!.Seconds);
    }

    /// <summary>A batch sampled from the tiny preset (twice), its items sent by a test worker as a sampling job would.</summary>
    private async Task<ComparisonBatchDto> SampledReadyBatchAsync(object extra)
    {
        var request = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject();
        request["name"] = ApiFixture.UniqueName("sampled");
        request["dataset"] = "addition-3digit";
        request["sources"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"preset": "tiny"}]""");
        request["items"] = 3;
        using var created = await fixture.Client.PostAsJsonAsync("/api/comparison-batches", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var batch = (await created.Content.ReadFromJsonAsync<ComparisonBatchDto>())!;
        var worker = fixture.Worker(ApiFixture.TestWorker);
        var claim = await (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/claim", new { worker = ApiFixture.TestWorker }))
            .Content.ReadFromJsonAsync<ComparisonSamplingClaim>();
        var items = claim!.Prompts.Select((p, i) => new ComparisonItemDto(i, p, $"A{i}", $"B{i}")).ToList();
        (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/items", new ComparisonItemsBatch(ApiFixture.TestWorker, items))).EnsureSuccessStatusCode();
        (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/status",
            new ComparisonBatchStatusUpdate(ApiFixture.TestWorker, ComparisonBatchStatus.Ready))).EnsureSuccessStatusCode();
        return batch;
    }
}
