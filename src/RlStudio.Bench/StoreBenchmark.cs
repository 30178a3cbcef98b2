using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using NpgsqlTypes;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;

namespace RlStudio.Bench;

/// <summary>
/// <c>store</c>: the metric store and live pushes, measured against a throwaway PostgreSQL and the real web host
/// (<see cref="StorePlatform"/>), loopback only, bounded in count and time. Prints <c>name: value</c> lines:
/// <list type="bullet">
/// <item><c>ingest_ratio</c>: metric points/s through the ingest API ÷ raw binary COPY into the same table, same batches
/// (1000 points) and concurrency (4 clients), side by side, median of 3 rounds (goal ≥ 0.5);</item>
/// <item><c>history_1m_ms</c>: GET of a 1M-point history downsampled to 1000 buckets, median of 10 (goal &lt; 50);</item>
/// <item><c>push_p95_ms</c> and <c>points_lost</c>: report sent → SignalR client received, 8 trainers at 20 steps/s, 50
/// clients watching, the REST API queried meanwhile (goals &lt; 100 and 0);</item>
/// <item><c>dispatch_p50_ms</c>: run created → its trainer process claimed it, median of 5 one-step runs (goal &lt; 2000);</item>
/// <item><c>runs_list_*_ms</c>: a page of the runs list among 10 000 runs (<see cref="RunListBenchmark"/>).</item>
/// </list>
/// </summary>
public static class StoreBenchmark
{
    public const string Command = "store";

    private const int IngestRounds = 3;
    private const int IngestClients = 4;
    private const int IngestBatches = 50;
    private const int KeysPerBatch = 10;
    private const int StepsPerBatch = 100;
    private const int HistoryPoints = 1_000_000;
    private const int Trainers = 8;
    private const int Watchers = 50;
    private const int PushSteps = 200;
    private static readonly TimeSpan PushPeriod = TimeSpan.FromMilliseconds(50);
    private const int DispatchRuns = 5;

    /// <summary>Runs every part, or only those named after <c>--only</c> (ingest, history, push, dispatch).</summary>
    public static async Task<int> RunAsync(TextWriter output, string[] args)
    {
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? ["ingest", "history", "push", "dispatch", "runs"];
        await using var platform = await StorePlatform.StartAsync(output);
        await WaitForWorkerAsync(platform);   // its start (loading libtorch) must not overlap a measurement
        var met = true;
        if (only.Contains("ingest")) met &= await IngestRatioAsync(platform, output) >= 0.5;
        if (only.Contains("history")) met &= await HistoryAsync(platform, output) < 50;
        if (only.Contains("push"))
        {
            var (p95, lost) = await PushAsync(platform, output);
            met &= p95 < 100 && lost == 0;
        }
        if (only.Contains("dispatch")) met &= await DispatchAsync(platform, output) < 2000;
        if (only.Contains("runs")) met &= await RunListBenchmark.RunAsync(platform, output) < RunListBenchmark.GoalMs;
        output.WriteLine($"store_goals_met: {(met ? 1 : 0)}");
        return 0;
    }

    /// <summary>Three rounds, each the ingest API then raw COPY on fresh runs; the median of each rate and their ratio.</summary>
    private static async Task<double> IngestRatioAsync(StorePlatform platform, TextWriter output)
    {
        var apiRates = new List<double>();
        var copyRates = new List<double>();
        for (var round = 0; round < IngestRounds; round++)
        {
            var apiRuns = new List<long>();
            for (var i = 0; i < IngestClients; i++) apiRuns.Add(await platform.ClaimedRunAsync($"ingest-api-{round}-{i}"));
            var copyRuns = new List<long>();
            for (var i = 0; i < IngestClients; i++) copyRuns.Add((await platform.CreateRunAsync($"ingest-copy-{round}-{i}", StorePlatform.IdleQueue)).Id);

            var api = Stopwatch.StartNew();
            await Task.WhenAll(apiRuns.Select(runId => Task.Run(async () =>
            {
                for (var b = 0; b < IngestBatches; b++)
                {
                    using var response = await platform.Node.PostAsJsonAsync($"/api/ingest/runs/{runId}/metrics", new MetricBatch(Batch(b)), StorePlatform.Json);
                    response.EnsureSuccessStatusCode();
                }
            })));
            api.Stop();

            var copy = Stopwatch.StartNew();
            await Task.WhenAll(copyRuns.Select(runId => Task.Run(async () =>
            {
                await using var connection = new NpgsqlConnection(platform.ConnectionString);
                await connection.OpenAsync();
                for (var b = 0; b < IngestBatches; b++) await CopyAsync(connection, runId, Batch(b));
            })));
            copy.Stop();

            var points = (double)IngestClients * IngestBatches * KeysPerBatch * StepsPerBatch;
            apiRates.Add(points / api.Elapsed.TotalSeconds);
            copyRates.Add(points / copy.Elapsed.TotalSeconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# ingest round {round + 1}: API {apiRates[^1]:0} points/s, COPY {copyRates[^1]:0} points/s"));
        }
        var ratio = Percentile(apiRates.Zip(copyRates, (a, c) => a / c).ToList(), 0.5);
        Print(output, "ingest_api_points_per_s", Percentile(apiRates, 0.5));
        Print(output, "ingest_copy_points_per_s", Percentile(copyRates, 0.5));
        Print(output, "ingest_ratio", ratio);
        return ratio;
    }

    /// <summary>Batch <paramref name="b"/> of a run: 10 keys × 100 consecutive steps.</summary>
    private static MetricPoint[] Batch(int b) =>
        [.. Enumerable.Range(b * StepsPerBatch, StepsPerBatch).SelectMany(step => Enumerable.Range(0, KeysPerBatch)
            .Select(k => new MetricPoint($"bench/metric_{k}", step, Math.Sin(step * 0.01 + k))))];

    private static async Task CopyAsync(NpgsqlConnection connection, long runId, IEnumerable<MetricPoint> points)
    {
        var now = DateTimeOffset.UtcNow;
        await using var import = await connection.BeginBinaryImportAsync("COPY metric_points (run_id, key, step, value, time) FROM STDIN (FORMAT BINARY)");
        foreach (var point in points)
        {
            await import.StartRowAsync();
            await import.WriteAsync(runId, NpgsqlDbType.Bigint);
            await import.WriteAsync(point.Key, NpgsqlDbType.Text);
            await import.WriteAsync(point.Step, NpgsqlDbType.Integer);
            await import.WriteAsync(point.Value, NpgsqlDbType.Double);
            await import.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }
        await import.CompleteAsync();
    }

    private static async Task<double> HistoryAsync(StorePlatform platform, TextWriter output)
    {
        var runId = await platform.ClaimedRunAsync("history-1m");
        // The points go in through the ingest API (so their bucket summaries are kept as in production), 10 000 a request.
        var load = Stopwatch.StartNew();
        const int perRequest = 10_000;
        for (var first = 0; first < HistoryPoints; first += perRequest)
        {
            var points = Enumerable.Range(first, perRequest).Select(step => new MetricPoint(MetricPoint.RewardMean, step, Math.Sin(step / 1000.0) + step % 7 * 0.01)).ToArray();
            using var response = await platform.Node.PostAsJsonAsync($"/api/ingest/runs/{runId}/metrics", new MetricBatch(points), StorePlatform.Json);
            response.EnsureSuccessStatusCode();
        }
        output.WriteLine($"# 1M points ingested in {load.Elapsed.TotalSeconds:0.0} s");
        var url = $"/api/runs/{runId}/metrics?keys={MetricPoint.RewardMean}&maxPoints=1000";
        var first1 = await platform.Admin.GetFromJsonAsync<MetricsResponse>(url, StorePlatform.Json);
        if (first1!.Series.Single().Points.Count != 1000) throw new InvalidOperationException("the 1M history did not come back as 1000 buckets");
        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await platform.Admin.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var median = Percentile(times, 0.5);
        Print(output, "history_1m_ms", median);
        return median;
    }

    private static async Task<(double P95, int Lost)> PushAsync(StorePlatform platform, TextWriter output)
    {
        var runs = new List<long>();
        for (var i = 0; i < Trainers; i++) runs.Add(await platform.ClaimedRunAsync($"push-{i}"));
        var clock = Stopwatch.StartNew();
        var sent = new ConcurrentDictionary<(long Run, int Step), double>();
        var latencies = new ConcurrentBag<double>();
        var received = new ConcurrentDictionary<(int Watcher, long Run, int Step), byte>();
        var connections = new List<HubConnection>();
        for (var w = 0; w < Watchers; w++)
        {
            var watcher = w;
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(platform.BaseUrl), RunHub.Path), o => o.Headers["Authorization"] = $"Bearer {StorePlatform.AdminKey}")
                .Build();
            connection.On<long, List<MetricPoint>>("MetricsAppended", (runId, points) =>
            {
                var now = clock.Elapsed.TotalMilliseconds;
                foreach (var p in points.Where(p => p.Key == "bench/sent"))
                {
                    if (received.TryAdd((watcher, runId, p.Step), 0) && sent.TryGetValue((runId, p.Step), out var at)) latencies.Add(now - at);
                }
            });
            await connection.StartAsync();
            await connection.InvokeAsync("JoinRun", runs[w % Trainers]);
            connections.Add(connection);
        }

        using var stopQueries = new CancellationTokenSource();
        var queries = 0;
        var querier = Task.Run(async () =>
        {
            while (!stopQueries.IsCancellationRequested)
            {
                using var list = await platform.Admin.GetAsync("/api/runs?limit=50");
                using var history = await platform.Admin.GetAsync($"/api/runs/{runs[queries % Trainers]}/metrics?maxPoints=1000");
                queries += 2;
                try { await Task.Delay(100, stopQueries.Token); } catch (OperationCanceledException) { }
            }
        });
        await Task.WhenAll(runs.Select(runId => Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(PushPeriod);
            for (var step = 1; step <= PushSteps; step++)
            {
                await timer.WaitForNextTickAsync();
                var points = Enumerable.Range(0, 9).Select(k => new MetricPoint($"bench/metric_{k}", step, step * 0.1 + k))
                    .Append(new MetricPoint("bench/sent", step, step)).ToArray();
                sent[(runId, step)] = clock.Elapsed.TotalMilliseconds;
                using var response = await platform.Node.PostAsJsonAsync($"/api/ingest/runs/{runId}/metrics", new MetricBatch(points), StorePlatform.Json);
                response.EnsureSuccessStatusCode();
            }
        })));
        await Task.Delay(TimeSpan.FromSeconds(3));   // the last pushes
        await stopQueries.CancelAsync();
        await querier;
        foreach (var connection in connections) await connection.DisposeAsync();

        var expected = Watchers * PushSteps;
        var lost = expected - received.Count;
        var p95 = Percentile([.. latencies], 0.95);
        output.WriteLine($"# {Trainers} trainers × {PushSteps} steps at {1000 / PushPeriod.TotalMilliseconds:0}/s, {Watchers} watchers, {queries} REST queries meanwhile");
        Print(output, "push_p50_ms", Percentile([.. latencies], 0.5));
        Print(output, "push_p95_ms", p95);
        output.WriteLine($"points_lost: {lost}");
        return (p95, lost);
    }

    private static async Task<double> DispatchAsync(StorePlatform platform, TextWriter output)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        var delays = new List<double>();
        for (var i = 0; i < DispatchRuns; i++)
        {
            var run = await platform.CreateRunAsync($"dispatch-{i}", "default");
            RunDto current;
            do
            {
                await Task.Delay(100);
                current = (await platform.Admin.GetFromJsonAsync<RunDto>($"/api/runs/{run.Id}", StorePlatform.Json))!;
            }
            while (!current.Status.IsTerminal() && DateTime.UtcNow < deadline);
            if (current.StartedAt is not { } started) throw new InvalidOperationException($"dispatch run {run.Id} ended {current.Status} without starting: {current.Error}");
            delays.Add((started - current.CreatedAt).TotalMilliseconds);
        }
        output.WriteLine($"# dispatch delays (ms): {string.Join(", ", delays.Select(d => d.ToString("0", CultureInfo.InvariantCulture)))}");
        var p50 = Percentile(delays, 0.5);
        Print(output, "dispatch_p50_ms", p50);
        return p50;
    }

    /// <summary>Waits until the embedded worker (built and started by the web host) is online.</summary>
    private static async Task WaitForWorkerAsync(StorePlatform platform)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (!(await platform.Admin.GetFromJsonAsync<List<Contracts.Workers.WorkerNodeDto>>("/api/workers", StorePlatform.Json))!.Any(w => w.Online))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The embedded worker never came online.");
            await Task.Delay(500);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    internal static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(q * sorted.Length) - 1)];
    }

    internal static void Print(TextWriter output, string name, double value) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.###}"));
}
