using System.Net;
using System.Net.Http.Json;
using System.Text;
using RlStudio.Contracts.Labeling;

namespace RlStudio.Api.Tests;

/// <summary>The steps the labeling tests repeat: import a batch, ask for items, answer them.</summary>
internal static class LabelingFlow
{
    /// <summary>Items whose responses say which they are: "A{i} …" and "B{i} …".</summary>
    public static string Jsonl(int count, string prefix = "p") =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"{{\"prompt\":\"{prefix}{i}\",\"response_a\":\"A{i} first answer\",\"response_b\":\"B{i} second answer\"}}\n"));

    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string name, string jsonl, int? overlap = null, string? guidelines = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl)), "file", "pairs.jsonl" },
        };
        if (overlap is { } o) form.Add(new StringContent(o.ToString()), "overlap");
        if (guidelines is not null) form.Add(new StringContent(guidelines), "guidelines");
        return await client.PostAsync("/api/comparison-batches", form);
    }

    public static async Task<ComparisonBatchDto> ImportBatchAsync(HttpClient client, int items, int overlap, string? name = null)
    {
        using var response = await ImportAsync(client, name ?? ApiFixture.UniqueName("batch"), Jsonl(items), overlap);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ComparisonBatchDto>())!;
    }

    /// <summary>The caller's next item, or null on 204.</summary>
    public static async Task<LabelingItemDto?> NextAsync(HttpClient client, long batchId, params long[] except)
    {
        using var response = await client.GetAsync($"/api/labeling/next?batchId={batchId}{(except.Length > 0 ? $"&except={string.Join(',', except)}" : "")}");
        if (response.StatusCode == HttpStatusCode.NoContent) return null;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"next: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<LabelingItemDto>();
    }

    public static Task<HttpResponseMessage> LabelAsync(HttpClient client, long itemId, string choice, string? rationale = null) =>
        client.PostAsJsonAsync($"/api/labeling/{itemId}", new { choice, rationale });

    /// <summary>Labels items until nothing is left; returns the item ids answered.</summary>
    public static async Task<List<long>> LabelAllAsync(HttpClient client, long batchId, Func<LabelingItemDto, string> choose)
    {
        var answered = new List<long>();
        while (await NextAsync(client, batchId) is { } item)
        {
            using var response = await LabelAsync(client, item.ItemId, choose(item));
            if (response.StatusCode == HttpStatusCode.OK) answered.Add(item.ItemId);
            else Assert.Equal(HttpStatusCode.Conflict, response.StatusCode); // filled by others meanwhile
        }
        return answered;
    }

    /// <summary>The side showing response A of its item ("A{i} …").</summary>
    public static string SideOfA(LabelingItemDto item) => item.Left.StartsWith('A') ? "left" : "right";

    public static string SideOfB(LabelingItemDto item) => item.Left.StartsWith('B') ? "left" : "right";
}
