using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// Malformed and hostile input across the API: broken JSON and JSONL, wrong types, NaN/Infinity/huge numbers, unknown
/// ids, control characters and path-like names, script in names. Each gets a 4xx problem that names what is wrong, and
/// no table gains a row. (Script and HTML that are valid text are stored as text: see the browser test for how they show.)
/// </summary>
[Collection("api")]
public sealed class BadInputTests(ApiFixture fixture)
{
    /// <summary>Who sends it: an Admin, or the worker that claimed <c>{run}</c>.</summary>
    public enum As { Admin, Worker }

    /// <param name="path">May name <c>{run}</c>: a run of the test's own.</param>
    /// <param name="body">JSON text (or JSONL for the <c>upload</c> content type); null sends none.</param>
    /// <param name="status">The answer expected.</param>
    /// <param name="names">Text the problem must contain (the field or the reason).</param>
    public sealed record Case(As As, string Method, string Path, string? Body, HttpStatusCode Status, string Names, string ContentType = "application/json")
    {
        public override string ToString() => $"{Method} {Path} {Body?[..Math.Min(Body.Length, 60)]}";
    }

    private const string Run = """ "name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"preset":"tiny"},"rewards":[{"type":"exact_match"}] """;

    private static readonly HttpStatusCode Bad = HttpStatusCode.BadRequest;

    /// <summary>A valid run body with <paramref name="extra"/> members added.</summary>
    private static string R(string extra) => "{" + Run + ", " + extra + "}";

    public static TheoryData<Case> Cases()
    {
        var cases = new List<Case>
        {
            // Broken JSON.
            new(As.Admin, "POST", "/api/runs", "{", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", "{\"name\":", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", "[1,2]", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", "null", Bad, ""),
            new(As.Admin, "POST", "/api/runs", "\"a string\"", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", "", Bad, ""),
            new(As.Admin, "POST", "/api/runs", "{'single': 'quotes'}", Bad, "body"),
            new(As.Admin, "POST", "/api/runs/validate", "{", Bad, "body"),
            new(As.Admin, "PATCH", "/api/runs/{run}", "{\"name\": }", Bad, "body"),
            new(As.Admin, "POST", "/api/users", "{\"name\":\"x\",", Bad, "body"),
            new(As.Admin, "POST", "/api/workers/keys", "not json", Bad, "body"),
            new(As.Admin, "POST", "/api/checkpoints/1/export", "{folder}", Bad, "body"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/metrics", "{\"points\": [", Bad, "body"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/rollouts", "{\"samples\": {}}", Bad, "body"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/progress", "}", Bad, "body"),
            // Wrong types.
            new(As.Admin, "POST", "/api/runs", "{\"name\": 5}", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": [1] """), Bad, "body"),
            new(As.Admin, "POST", "/api/runs", "{" + Run.Replace("\"rewards\":[{\"type\":\"exact_match\"}]", "\"rewards\": {\"type\": \"exact_match\"}") + "}", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", R(""" "seed": "seven" """), Bad, "body"),
            new(As.Admin, "POST", "/api/runs", R(""" "priority": "high" """), Bad, "body"),
            new(As.Admin, "POST", "/api/runs", R(""" "tags": {"a": 1} """), Bad, "body"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"steps": "100"} """), Bad, "settings.steps"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"steps": true} """), Bad, "settings.steps"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"steps": 2.5} """), Bad, "must be an integer"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"learningRate": "fast"} """), Bad, "settings.learningRate"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"groupBaseline": 1} """), Bad, "settings.groupBaseline"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"lossAggregation": 3} """), Bad, "settings.lossAggregation"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"loraTargets": "q_proj"} """), Bad, "settings.loraTargets"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"bestCheckpointMetric": ["a"]} """), Bad, "settings.bestCheckpointMetric"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"steps": null} """), Bad, "settings.steps"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"unknownSetting": 1} """), Bad, "unknown setting"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":7,"dataset":"addition-2digit"}""", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":["addition-2digit"]}""", Bad, "body"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":"tiny"}""", Bad, "body"),
            new(As.Admin, "PATCH", "/api/runs/{run}", "{\"tags\": \"one\"}", Bad, "body"),
            new(As.Admin, "PATCH", "/api/runs/{run}", "{\"notes\": 5}", Bad, "body"),
            new(As.Admin, "POST", "/api/users", "{\"name\":\"u\",\"role\":[\"Admin\"]}", Bad, "body"),
            new(As.Admin, "POST", "/api/users/1/keys", "{\"expiresAt\": \"next week\"}", Bad, "body"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/metrics", "{\"points\": [{\"key\": 1, \"step\": 1, \"value\": 1}]}", Bad, "body"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/metrics", "{\"points\": [{\"key\": \"a\", \"step\": \"one\", \"value\": 1}]}", Bad, "body"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/status", "{\"worker\": \"bad-input-worker\", \"status\": \"Exploded\", \"step\": 1}", Bad, "body"),
            // NaN, Infinity and numbers out of range.
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"learningRate": "NaN"} """), Bad, "settings.learningRate"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"learningRate": "Infinity"} """), Bad, "settings.learningRate"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"learningRate": 1e309} """), Bad, "settings.learningRate"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"learningRate": -1e309} """), Bad, "settings.learningRate"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"learningRate": 0} """), Bad, "out of range (0, 1]"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"learningRate": -0.001} """), Bad, "out of range"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"steps": 1e12} """), Bad, "settings.steps"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"steps": 0} """), Bad, "out of range [1, 100000]"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"steps": -5} """), Bad, "settings.steps"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"batchSize": 99999999999999999999} """), Bad, "settings.batchSize"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"temperature": 11} """), Bad, "settings.temperature"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"clipEpsilon": 1} """), Bad, "settings.clipEpsilon"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"topP": 0} """), Bad, "settings.topP"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"maxNewTokens": 1000000} """), Bad, "settings.maxNewTokens"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"groupSize": 0} """), Bad, "settings.groupSize"),
            new(As.Admin, "POST", "/api/runs", R(""" "seed": -1 """), Bad, "seed"),
            new(As.Admin, "POST", "/api/runs", R(""" "seed": 1e30 """), Bad, "body"),
            new(As.Admin, "POST", "/api/runs", R(""" "priority": 99999999999 """), Bad, "body"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"preset":"tiny"},"rewards":[{"type":"exact_match","weight":"NaN"}]}""", Bad, "rewards[0].weight"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"preset":"tiny"},"rewards":[{"type":"exact_match","weight":1e400}]}""", Bad, "rewards[0].weight"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"preset":"tiny"},"rewards":[{"type":"length_penalty","targetTokens":-3}]}""", Bad, "rewards[0].targetTokens"),
            new(As.Admin, "GET", "/api/runs?limit=0", null, Bad, "limit"),
            new(As.Admin, "GET", "/api/runs?limit=abc", null, Bad, "limit"),
            new(As.Admin, "GET", "/api/runs?status=Exploded", null, Bad, "status"),
            new(As.Admin, "GET", "/api/runs/{run}/metrics?maxPoints=0", null, Bad, "maxPoints"),
            new(As.Admin, "GET", "/api/runs/{run}/metrics?maxPoints=1000000000000", null, Bad, "maxPoints"),
            new(As.Admin, "GET", "/api/runs/{run}/rollouts?limit=-1", null, Bad, "limit"),
            new(As.Admin, "GET", "/api/runs/{run}/rollouts?step=-1", null, Bad, "step"),
            new(As.Admin, "GET", "/api/datasets/addition-2digit/items?offset=-1", null, Bad, "offset"),
            new(As.Admin, "GET", "/api/datasets/addition-2digit/items?limit=100000", null, Bad, "limit"),
            new(As.Admin, "GET", "/api/datasets/addition-2digit/items?version=0", null, Bad, "version"),
            new(As.Admin, "GET", "/api/audit?limit=0", null, Bad, "limit"),
            new(As.Admin, "GET", "/api/audit?before=-4", null, Bad, "before"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/metrics", "{\"points\": [{\"key\": \"a\", \"step\": -1, \"value\": 1}]}", Bad, "points[0].step"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/metrics", "{\"points\": [{\"key\": \"\", \"step\": 1, \"value\": 1}]}", Bad, "points[0].key"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/metrics", "{\"points\": [{\"key\": \"a\", \"step\": 1e20, \"value\": 1}]}", Bad, "body"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/checkpoints?step=-1", "", Bad, "step", "application/octet-stream"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/checkpoints", "", Bad, "step", "application/octet-stream"),
            // Unknown ids and names.
            new(As.Admin, "GET", "/api/runs/987654321", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "PATCH", "/api/runs/987654321", "{\"name\":\"x\"}", HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "POST", "/api/runs/987654321/cancel", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "POST", "/api/runs/987654321/resume", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "DELETE", "/api/runs/987654321", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/runs/987654321/metrics", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/runs/987654321/metrics.csv", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/runs/987654321/rollouts", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/runs/987654321/checkpoints", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/runs/987654321/exports", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/checkpoints/987654321/content", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "POST", "/api/checkpoints/987654321/export", "{\"folder\":\"/models/x\"}", HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/exports/987654321", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "GET", "/api/datasets/no-such-dataset", null, HttpStatusCode.NotFound, "no-such-dataset"),
            new(As.Admin, "GET", "/api/datasets/no-such-dataset/items", null, HttpStatusCode.NotFound, "no-such-dataset"),
            new(As.Admin, "GET", "/api/datasets/no-such-dataset/content", null, HttpStatusCode.NotFound, "no-such-dataset"),
            new(As.Admin, "DELETE", "/api/datasets/no-such-dataset", null, HttpStatusCode.NotFound, "no-such-dataset"),
            new(As.Admin, "GET", "/api/datasets/addition-2digit/items?version=999", null, HttpStatusCode.NotFound, "version 999"),
            new(As.Admin, "PATCH", "/api/users/987654321", "{\"role\":\"Admin\"}", HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "POST", "/api/users/987654321/keys", "{}", HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "DELETE", "/api/keys/987654321", null, HttpStatusCode.NotFound, "987654321"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"no-such-dataset","base":{"preset":"tiny"},"rewards":[{"type":"exact_match"}]}""", Bad, "dataset"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"checkpointId":987654321},"rewards":[{"type":"exact_match"}]}""", Bad, "base.checkpointId"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"runId":987654321},"rewards":[{"type":"exact_match"}]}""", Bad, "base.runId"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"preset":"gigantic"},"rewards":[{"type":"exact_match"}]}""", Bad, "base.preset"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"preset":"tiny"},"rewards":[{"type":"reward_model","runId":987654321}]}""", Bad, "rewards[0]"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"quantum","dataset":"addition-2digit","base":{"preset":"tiny"}}""", Bad, "algorithm"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"grpo","dataset":"addition-2digit","base":{"preset":"tiny"},"rewards":[{"type":"telepathy"}]}""", Bad, "rewards[0].type"),
            new(As.Worker, "POST", "/api/ingest/runs/987654321/claim", "{\"worker\":\"bad-input-worker\"}", HttpStatusCode.NotFound, "987654321"),
            // Control characters, path-like and oversized names.
            new(As.Admin, "POST", "/api/runs", "{" + Run.Replace("\"name\":\"r\"", "\"name\":\"\"") + "}", Bad, "name"),
            new(As.Admin, "POST", "/api/runs", "{" + Run.Replace("\"name\":\"r\"", "\"name\":\"   \"") + "}", Bad, "name"),
            new(As.Admin, "POST", "/api/runs", "{" + Run.Replace("\"name\":\"r\"", $"\"name\":\"{new string('n', 201)}\"") + "}", Bad, "name"),
            new(As.Admin, "POST", "/api/runs", R(""" "tags": ["ok", "bad\u0007tag"] """), Bad, "tags[1]"),
            new(As.Admin, "POST", "/api/runs", R($" \"tags\": [\"{new string('t', 51)}\"] "), Bad, "tags[0]"),
            new(As.Admin, "POST", "/api/runs", R($" \"notes\": \"{new string('x', 10_001)}\" "), Bad, "notes"),
            new(As.Admin, "POST", "/api/runs", R(""" "queue": "../../etc" """), Bad, "queue"),
            new(As.Admin, "POST", "/api/runs", R(""" "queue": "GPU queue" """), Bad, "queue"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"sft","dataset":"addition-2digit","base":{"modelPath":"../../etc/passwd"}}""", Bad, "base.modelPath"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"sft","dataset":"addition-2digit","base":{"modelPath":"/models/../../etc"}}""", Bad, "base.modelPath"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"sft","dataset":"addition-2digit","base":{"modelPath":"/etc/shadow"}}""", Bad, "outside the model roots"),
            new(As.Admin, "POST", "/api/runs", """{"name":"r","algorithm":"sft","dataset":"addition-2digit","base":{"modelPath":"/models/a\u0000b"}}""", Bad, "base.modelPath"),
            new(As.Admin, "POST", "/api/runs", R(""" "settings": {"bestCheckpointMetric": "eval/x\nrm -rf", "keepLastCheckpoints": 1, "keepBestCheckpoints": 1} """), Bad, "settings.bestCheckpointMetric"),
            new(As.Admin, "POST", "/api/checkpoints/1/export", "{\"folder\":\"relative\"}", Bad, "folder"),
            new(As.Admin, "POST", "/api/checkpoints/1/export", "{\"folder\":\"/models/../root\"}", Bad, "folder"),
            new(As.Admin, "POST", "/api/checkpoints/1/export", "{\"folder\":\"/models/x\",\"queue\":\"Q Q\"}", Bad, "queue"),
            new(As.Admin, "POST", "/api/users", "{\"name\":\"../admin\",\"role\":\"Admin\"}", Bad, "name"),
            new(As.Admin, "POST", "/api/users", "{\"name\":\"<script>alert(1)</script>\",\"role\":\"Admin\"}", Bad, "name"),
            new(As.Admin, "POST", "/api/users", "{\"name\":\"okname\",\"role\":\"Emperor\"}", Bad, "role"),
            new(As.Admin, "POST", "/api/users", "{\"name\":\"okname2\",\"role\":\"Researcher\",\"password\":\"short\"}", Bad, "password"),
            new(As.Admin, "POST", "/api/users", "{\"name\":\"admin\",\"role\":\"Researcher\"}", Bad, "exists"),
            new(As.Admin, "POST", "/api/users/1/keys", "{\"name\":\"k\\u0000\"}", Bad, "name"),
            new(As.Admin, "POST", "/api/users/1/keys", "{\"expiresAt\":\"2000-01-01T00:00:00Z\"}", Bad, "expiresAt"),
            new(As.Admin, "POST", "/api/workers/keys", "{\"name\":\"../node\"}", Bad, "name"),
            new(As.Admin, "POST", "/api/workers/keys", "{\"name\":\"node with spaces\"}", Bad, "name"),
            new(As.Admin, "POST", "/api/workers/keys", "{}", Bad, "name"),
            new(As.Admin, "GET", "/api/audit?action=" + new string('a', 300), null, Bad, "action"),
            new(As.Worker, "POST", "/api/ingest/workers/heartbeat", "{\"name\":\"\",\"device\":\"cpu\",\"queues\":[]}", Bad, "name"),
            new(As.Worker, "POST", "/api/ingest/runs/{run}/metrics", $"{{\"points\": [{{\"key\": \"{new string('k', 201)}\", \"step\": 1, \"value\": 1}}]}}", Bad, "points[0].key"),
        };
        var data = new TheoryData<Case>();
        foreach (var c in cases) data.Add(c);
        return data;
    }

    /// <summary>JSONL uploads that must be refused whole, each naming the line.</summary>
    public static TheoryData<string, string> BadJsonl => new()
    {
        { "{\"prompt\": \"a\", \"reference\": \"b\"}\n{\"prompt\": ", "line 2" },
        { "not json at all", "line 1" },
        { "{\"prompt\": \"a\"}", "line 1" },
        { "{\"prompt\": \"a\", \"reference\": 5}", "line 1" },
        { "[\"prompt\", \"reference\"]", "line 1" },
        { "{\"prompt\": \"a\", \"chosen\": \"b\"}", "line 1" },
        { "{\"prompt\": \"a\", \"reference\": \"b\"}\n{\"prompt\": \"c\", \"chosen\": \"d\", \"rejected\": \"e\"}", "line 2" },
        { "", "file" },
        { "\n\n\n", "file" },
        { "{\"prompt\": null, \"reference\": \"b\"}", "line 1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_IsRefusedWithAProblemNamingIt_AndStoresNothing(Case bad)
    {
        var run = await fixture.CreateRunAsync();
        await fixture.AssignAsync(run.Id, "bad-input-worker");
        var client = bad.As == As.Worker ? fixture.Worker("bad-input-worker") : fixture.Client;
        var before = await CountsAsync();

        using var request = new HttpRequestMessage(new HttpMethod(bad.Method), bad.Path.Replace("{run}", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (bad.Body is not null) request.Content = new StringContent(bad.Body, Encoding.UTF8, bad.ContentType);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == bad.Status, $"{bad}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.Contains(bad.Names, StringComparison.OrdinalIgnoreCase), $"{bad}: expected \"{bad.Names}\" in {body}");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [MemberData(nameof(BadJsonl))]
    public async Task BadJsonl_IsRefusedWhole_NamingTheLine(string jsonl, string names)
    {
        var before = await CountsAsync();
        var response = await fixture.UploadDatasetAsync(ApiFixture.UniqueName("badjsonl"), jsonl);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains(names, body);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task DuplicateSubmissions_AreStoredOnce()
    {
        var name = ApiFixture.UniqueName("dup");
        const string jsonl = "{\"prompt\": \"<script>alert('x')</script>\", \"reference\": \"<b>bold</b>\"}";
        var first = await fixture.UploadDatasetAsync(name, jsonl);
        var second = await fixture.UploadDatasetAsync(name, jsonl);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var (a, b) = (await first.Content.ReadFromJsonAsync<RlStudio.Contracts.Datasets.DatasetDto>(), await second.Content.ReadFromJsonAsync<RlStudio.Contracts.Datasets.DatasetDto>());
        Assert.Equal((a!.VersionId, 1), (b!.VersionId, b.Version));
        Assert.Equal("<script>alert('x')</script>", (await fixture.VersionItemsAsync(a.VersionId))[0].Prompt);

        var user = ApiFixture.UniqueName("dupuser");
        Assert.Equal(HttpStatusCode.Created, (await fixture.Client.PostAsJsonAsync("/api/users", new { name = user, role = "Labeler" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client.PostAsJsonAsync("/api/users", new { name = user, role = "Labeler" })).StatusCode);
        Assert.Equal(1, await fixture.WithDbAsync(db => db.Users.CountAsync(u => u.UserName == user)));

        // Metrics posted twice keep one point per (key, step).
        var run = await fixture.CreateRunAsync();
        for (var i = 0; i < 2; i++) await fixture.PostMetricsAsync(run.Id, new RlStudio.Contracts.Metrics.MetricPoint("reward/mean", 3, 0.5));
        Assert.Equal(1, await fixture.WithDbAsync(db => db.MetricPoints.CountAsync(m => m.RunId == run.Id)));
    }

    /// <summary>Rows in every table a bad request could half-write.</summary>
    private Task<string> CountsAsync() => fixture.WithDbAsync(async db => string.Join(",",
        await db.Runs.CountAsync(), await db.Experiments.CountAsync(), await db.Datasets.CountAsync(), await db.DatasetVersions.CountAsync(),
        await db.DatasetItems.CountAsync(), await db.Users.CountAsync(), await db.ApiKeys.CountAsync(), await db.MetricPoints.CountAsync(),
        await db.RolloutSamples.CountAsync(), await db.Checkpoints.CountAsync(), await db.CheckpointExports.CountAsync()));
}
