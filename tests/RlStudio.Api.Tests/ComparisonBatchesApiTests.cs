using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Labeling;
using RlStudio.Web.Auth;
using static RlStudio.Api.Tests.LabelingFlow;

namespace RlStudio.Api.Tests;

/// <summary>
/// <c>/api/comparison-batches</c>: import (all lines or nothing) and sampling (validated; the worker's claim, items and
/// status), statistics, every label for the owner, excluded labelers, export as a preference dataset version with its
/// lineage and as TRL's DPO JSONL.
/// </summary>
[Collection("api")]
public sealed class ComparisonBatchesApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Import_ValidJsonl_ReadyBatchWithItsItems()
    {
        var name = ApiFixture.UniqueName("import");
        using var response = await ImportAsync(fixture.Client, name, Jsonl(3), overlap: 3, guidelines: "Prefer **correct** sums.");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var batch = (await response.Content.ReadFromJsonAsync<ComparisonBatchDto>())!;
        Assert.Equal($"/api/comparison-batches/{batch.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal((ComparisonBatchStatus.Ready, 3, 3, 3, "Prefer **correct** sums."), (batch.Status, batch.ItemCount, batch.TargetItems, batch.Overlap, batch.Guidelines));
        var listed = await fixture.Client.GetFromJsonAsync<List<ComparisonBatchDto>>("/api/comparison-batches");
        Assert.Contains(listed!, b => b.Id == batch.Id && b.Name == name);
    }

    [Fact]
    public async Task Import_AnyBadLine_StoresNothing_AndNamesTheLines()
    {
        var name = ApiFixture.UniqueName("import-bad");
        var jsonl = Jsonl(2) + "{\"prompt\":\"x\",\"response_a\":\"y\"}\nnot json\n";

        using var response = await ImportAsync(fixture.Client, name, jsonl, overlap: 11);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("line 3", body);
        Assert.Contains("line 4", body);
        Assert.Contains("overlap", body);
        Assert.False(await fixture.WithDbAsync(db => db.ComparisonBatches.AnyAsync(b => b.Name == name)));
    }

    [Fact]
    public async Task Sample_BadRequest_NamesEveryFieldAndStoresNothing()
    {
        var name = ApiFixture.UniqueName("sample-bad");
        using var response = await fixture.Client.PostAsJsonAsync("/api/comparison-batches", new
        {
            name,
            dataset = "no-such-dataset",
            sources = new object[] { new { preset = "tiny", runId = 1 }, new { checkpointId = 99999999 } },
            overlap = 0,
            items = 0,
            temperature = -1,
            topP = 2,
            labelers = new[] { "nobody-by-this-name" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var keys = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Subset(keys.ToHashSet(), new HashSet<string> { "dataset", "sources[0]", "sources[1].checkpointId", "overlap", "items", "temperature", "topP", "labelers" });
        Assert.False(await fixture.WithDbAsync(db => db.ComparisonBatches.AnyAsync(b => b.Name == name)));
    }

    [Fact]
    public async Task Sample_FromARewardModel_IsRefused()
    {
        var prefs = ApiFixture.UniqueName("rm-prefs");
        (await fixture.UploadDatasetAsync(prefs, "{\"prompt\":\"1+1=\",\"chosen\":\"2\",\"rejected\":\"3\"}\n")).EnsureSuccessStatusCode();
        using var run = await fixture.Client.PostAsJsonAsync("/api/runs", new
        {
            name = ApiFixture.UniqueName("rm"), algorithm = "reward_model", dataset = prefs, @base = new { preset = "tiny" }, settings = new { steps = 10 },
        });
        var rewardModel = (await run.Content.ReadFromJsonAsync<RlStudio.Contracts.Runs.RunDto>())!;
        (await fixture.UploadCheckpointAsync(rewardModel.Id, 10, [1, 2, 3])).EnsureSuccessStatusCode();

        using var response = await fixture.Client.PostAsJsonAsync("/api/comparison-batches", new
        {
            name = ApiFixture.UniqueName("from-rm"), dataset = "addition-3digit", sources = new[] { new { runId = rewardModel.Id } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reward model", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sampling_WorkerClaimsSendsItemsAndReportsReady()
    {
        using var created = await fixture.Client.PostAsJsonAsync("/api/comparison-batches", new
        {
            name = ApiFixture.UniqueName("sampled"), dataset = "addition-3digit", sources = new[] { new { preset = "tiny" } }, items = 4, temperature = 0.9,
            overlap = 1, queue = "gpu",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var batch = (await created.Content.ReadFromJsonAsync<ComparisonBatchDto>())!;
        Assert.Equal((ComparisonBatchStatus.Sampling, 0, 4), (batch.Status, batch.ItemCount, batch.TargetItems));
        var job = await fixture.WithDbAsync(db => db.ComparisonBatches.Where(b => b.Id == batch.Id).Select(b => b.JobId).SingleAsync());
        Assert.False(string.IsNullOrEmpty(job));
        // Not labelable while sampling.
        var (_, labeler) = await fixture.AccountAsync(Roles.Labeler);
        Assert.Equal(HttpStatusCode.Conflict, (await labeler.GetAsync($"/api/labeling/next?batchId={batch.Id}")).StatusCode);

        var worker = fixture.Worker(ApiFixture.TestWorker);
        var claim = (await (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/claim", new { worker = ApiFixture.TestWorker }))
            .Content.ReadFromJsonAsync<ComparisonSamplingClaim>())!;
        Assert.Equal(4, claim.Prompts.Count);
        Assert.Equal((0.9, "tiny"), (claim.Temperature, claim.Sources.Single().Preset));
        var rival = fixture.Worker("rival-worker");
        Assert.Equal(HttpStatusCode.Conflict, (await rival.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/claim", new { worker = "rival-worker" })).StatusCode);

        var items = claim.Prompts.Select((p, i) => new ComparisonItemDto(i, p, $"a{i}", $"b{i}", claim.References[i])).ToList();
        (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/items", new ComparisonItemsBatch(ApiFixture.TestWorker, items[..2]))).EnsureSuccessStatusCode();
        var early = await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/status", new ComparisonBatchStatusUpdate(ApiFixture.TestWorker, ComparisonBatchStatus.Ready));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        // Items again (a retried request) are not stored twice.
        (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/items", new ComparisonItemsBatch(ApiFixture.TestWorker, items))).EnsureSuccessStatusCode();
        var progress = await fixture.Client.GetFromJsonAsync<ComparisonBatchDto>($"/api/comparison-batches/{batch.Id}");
        Assert.Equal(4, progress!.ItemCount);
        (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/status", new ComparisonBatchStatusUpdate(ApiFixture.TestWorker, ComparisonBatchStatus.Ready))).EnsureSuccessStatusCode();

        var ready = await fixture.Client.GetFromJsonAsync<ComparisonBatchDto>($"/api/comparison-batches/{batch.Id}");
        Assert.Equal(ComparisonBatchStatus.Ready, ready!.Status);
        Assert.NotNull(await NextAsync(labeler, batch.Id));
    }

    [Fact]
    public async Task Sampling_FailureIsShownWithItsError()
    {
        using var created = await fixture.Client.PostAsJsonAsync("/api/comparison-batches", new
        {
            name = ApiFixture.UniqueName("sampled-fail"), dataset = "addition-3digit", sources = new[] { new { preset = "tiny" }, new { preset = "small" } }, items = 2,
        });
        var batch = (await created.Content.ReadFromJsonAsync<ComparisonBatchDto>())!;
        var worker = fixture.Worker(ApiFixture.TestWorker);
        (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/claim", new { worker = ApiFixture.TestWorker })).EnsureSuccessStatusCode();
        (await worker.PostAsJsonAsync($"/api/ingest/batches/{batch.Id}/status",
            new ComparisonBatchStatusUpdate(ApiFixture.TestWorker, ComparisonBatchStatus.Failed, "out of memory loading preset small"))).EnsureSuccessStatusCode();

        var failed = await fixture.Client.GetFromJsonAsync<ComparisonBatchDto>($"/api/comparison-batches/{batch.Id}");
        Assert.Equal((ComparisonBatchStatus.Failed, "out of memory loading preset small"), (failed!.Status, failed.Error));
    }

    [Fact]
    public async Task Stats_CountsAgreementAndDisagreement()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 6, overlap: 3);
        var (u1, c1) = await fixture.AccountAsync(Roles.Labeler);
        var (u2, c2) = await fixture.AccountAsync(Roles.Labeler);
        var (u3, c3) = await fixture.AccountAsync(Roles.Labeler);
        // Two labelers always prefer A; the third prefers B on items 0 and 1 only.
        await LabelAllAsync(c1, batch.Id, SideOfA);
        await LabelAllAsync(c2, batch.Id, SideOfA);
        await LabelAllAsync(c3, batch.Id, item => item.Prompt is "p0" or "p1" ? SideOfB(item) : SideOfA(item));

        var stats = (await fixture.Client.GetFromJsonAsync<BatchStatsDto>($"/api/comparison-batches/{batch.Id}/stats"))!;

        Assert.Equal(18, stats.Labels);
        Assert.Equal((16, 2), (stats.Choices["a"], stats.Choices["b"]));
        // Hand-computed coincidences: each unit A,A,B adds o_AA 1, o_AB 1, o_BA 1; each A,A,A adds o_AA 3. n = 18, n_A = 16,
        // n_B = 2: D_o = 4/18, D_e = 2·16·2/(18·17), α = 1 − D_o/D_e = −0.0625 (below chance: one labeler dissents alone).
        Assert.Equal(-0.0625, stats.KrippendorffAlpha!.Value, 9);
        Kappa(u1.Name, u2.Name, out var same);
        Assert.Equal(6, same.CommonItems);
        Assert.Null(same.Kappa); // one category only: κ is undefined
        Kappa(u1.Name, u3.Name, out var dissent);
        Assert.Equal(0.0, dissent.Kappa!.Value, 9); // p_o = 4/6 = p_e
        var third = Assert.Single(stats.Labelers, l => l.Name == u3.Name);
        Assert.Equal((6, 4 / 6.0), (third.Labels, third.MajorityAgreement!.Value));
        Assert.Equal(["p0", "p1"], stats.Disagreements.Select(d => d.Prompt).Order());
        Assert.All(stats.Disagreements, d => Assert.Equal(1 / 3.0, d.Disagreement, 9));

        void Kappa(string a, string b, out KappaDto pair) =>
            pair = Assert.Single(stats.CohenKappa, k => new[] { k.A, k.B }.Order().SequenceEqual(new[] { a, b }.Order()));
    }

    [Fact]
    public async Task Export_MajorityAllTiesAndExclusions()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 3, overlap: 2);
        var (u1, c1) = await fixture.AccountAsync(Roles.Labeler);
        var (u2, c2) = await fixture.AccountAsync(Roles.Labeler);
        // p0: both A (majority A); p1: A vs B (no majority); p2: both tie.
        await LabelAllAsync(c1, batch.Id, item => item.Prompt == "p2" ? "tie" : SideOfA(item));
        await LabelAllAsync(c2, batch.Id, item => item.Prompt switch { "p0" => SideOfA(item), "p1" => SideOfB(item), _ => "tie" });

        async Task<List<JsonElement>> DownloadAsync(string query)
        {
            using var response = await fixture.Client.GetAsync($"/api/comparison-batches/{batch.Id}/export?format=dpo{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        }

        var majority = await DownloadAsync("");
        var pair = Assert.Single(majority);
        Assert.Equal(("p0", "A0 first answer", "B0 second answer"), (pair.GetProperty("prompt").GetString(), pair.GetProperty("chosen").GetString(), pair.GetProperty("rejected").GetString()));
        Assert.Equal(["prompt", "chosen", "rejected"], pair.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, (await DownloadAsync("&aggregation=all")).Count); // p0 ×2, p1 A and B
        Assert.Equal(3, (await DownloadAsync("&ties=keep")).Count); // p0, and p2 as both orders
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client.GetAsync($"/api/comparison-batches/{batch.Id}/export?format=csv&ties=maybe")).StatusCode);

        // Exclude the second labeler: p1 now has A as its only (majority) vote.
        using var patched = await fixture.Client.PatchAsJsonAsync($"/api/comparison-batches/{batch.Id}", new { excludedLabelers = new[] { u2.Name } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal([u2.Name], (await patched.Content.ReadFromJsonAsync<ComparisonBatchDto>())!.ExcludedLabelers);
        Assert.Equal(["p0", "p1"], (await DownloadAsync("")).Select(p => p.GetProperty("prompt").GetString()).Order());
        var stats = await fixture.Client.GetFromJsonAsync<BatchStatsDto>($"/api/comparison-batches/{batch.Id}/stats");
        Assert.True(stats!.Labelers.Single(l => l.Name == u2.Name).Excluded);
        Assert.Equal(3, stats.Labels);

        var datasetName = ApiFixture.UniqueName("prefs");
        using var saved = await fixture.Client.PostAsJsonAsync($"/api/comparison-batches/{batch.Id}/export", new { datasetName, ties = "keep" });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var dataset = (await saved.Content.ReadFromJsonAsync<DatasetDto>())!;
        Assert.Equal((DatasetKind.Preferences, 4, batch.Id), (dataset.Kind, dataset.ItemCount, dataset.SourceBatchId));
        var items = await fixture.VersionItemsAsync(dataset.VersionId);
        Assert.Contains(items, i => i.Prompt == "p1" && i.Chosen == "A1 first answer" && i.Rejected == "B1 second answer");
        var afterExport = await fixture.Client.GetFromJsonAsync<ComparisonBatchDto>($"/api/comparison-batches/{batch.Id}");
        Assert.Contains(dataset.VersionId, afterExport!.ExportedVersionIds);
        var listed = await fixture.Client.GetFromJsonAsync<List<DatasetDto>>("/api/datasets");
        Assert.Equal(batch.Id, listed!.Single(d => d.Name == datasetName).SourceBatchId);
    }

    [Fact]
    public async Task Export_Refusals()
    {
        var batch = await ImportBatchAsync(fixture.Client, items: 1, overlap: 1);
        using var empty = await fixture.Client.PostAsJsonAsync($"/api/comparison-batches/{batch.Id}/export", new { datasetName = ApiFixture.UniqueName("none") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        using var noName = await fixture.Client.PostAsJsonAsync($"/api/comparison-batches/{batch.Id}/export", new { aggregation = "mean" });
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        var body = await noName.Content.ReadAsStringAsync();
        Assert.Contains("datasetName", body);
        Assert.Contains("aggregation", body);
        // Into a prompt dataset's name: refused (a dataset holds one kind).
        var (_, labeler) = await fixture.AccountAsync(Roles.Labeler);
        await LabelAllAsync(labeler, batch.Id, SideOfA);
        using var wrongKind = await fixture.Client.PostAsJsonAsync($"/api/comparison-batches/{batch.Id}/export", new { datasetName = "addition-3digit" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.PostAsJsonAsync("/api/comparison-batches/99999999/export", new { datasetName = "x" })).StatusCode);
    }

    [Fact]
    public async Task Labels_OwnerOrAdminOnly_AndOnlyTheyExclude()
    {
        var (_, owner) = await fixture.AccountAsync(Roles.Researcher);
        var (_, stranger) = await fixture.AccountAsync(Roles.Researcher);
        var batch = await ImportBatchAsync(owner, items: 2, overlap: 1);
        var (labelerUser, labeler) = await fixture.AccountAsync(Roles.Labeler);
        await LabelAllAsync(labeler, batch.Id, _ => "left");

        var labels = await owner.GetFromJsonAsync<List<JsonElement>>($"/api/comparison-batches/{batch.Id}/labels");
        Assert.Equal(2, labels!.Count);
        Assert.All(labels, l => Assert.Equal(labelerUser.Name, l.GetProperty("labeler").GetString()));
        Assert.Equal(2, (await fixture.Client.GetFromJsonAsync<List<JsonElement>>($"/api/comparison-batches/{batch.Id}/labels"))!.Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/comparison-batches/{batch.Id}/labels")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PatchAsJsonAsync($"/api/comparison-batches/{batch.Id}", new { excludedLabelers = new[] { labelerUser.Name } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PatchAsJsonAsync($"/api/comparison-batches/{batch.Id}", new { excludedLabelers = new[] { "no-such-account" } })).StatusCode);
        // A labeler cannot read batches through the researchers' API.
        Assert.Equal(HttpStatusCode.Forbidden, (await labeler.GetAsync($"/api/comparison-batches/{batch.Id}")).StatusCode);
    }

    [Fact]
    public async Task DatasetDelete_RefusedWhileABatchSamplesIt()
    {
        var name = ApiFixture.UniqueName("prompts");
        (await fixture.UploadDatasetAsync(name, "{\"prompt\":\"1+1=\",\"reference\":\"2\"}\n{\"prompt\":\"2+2=\",\"reference\":\"4\"}\n")).EnsureSuccessStatusCode();
        var batchName = ApiFixture.UniqueName("from-prompts");
        (await fixture.Client.PostAsJsonAsync("/api/comparison-batches", new { name = batchName, dataset = name, sources = new[] { new { preset = "tiny" } }, items = 2 }))
            .EnsureSuccessStatusCode();

        using var response = await fixture.Client.DeleteAsync($"/api/datasets/{name}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(batchName, await response.Content.ReadAsStringAsync());
        Assert.True(await fixture.WithDbAsync(db => db.Datasets.AnyAsync(d => d.Name == name)));
    }
}
