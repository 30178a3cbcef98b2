using System.Diagnostics;
using Npgsql;

namespace RlStudio.Bench;

/// <summary>
/// <c>store --only runs</c>: the runs list among <see cref="Runs"/> runs, each with <see cref="KeysPerRun"/> latest metric
/// values (a fifth of them without <c>reward/mean</c>). The runs are copied in SQL from one created through the API, then
/// <c>GET /api/runs</c> is timed over HTTP, median of <see cref="Rounds"/>, for the orders a user pages through: newest first
/// (page 1 and a deep page), by name, by a metric (page 1 and a deep page), and a name search. Prints
/// <c>runs_list_{case}_ms</c> and returns the slowest median (goal &lt; <see cref="GoalMs"/>).
/// </summary>
public static class RunListBenchmark
{
    public const int Runs = 10_000;
    public const int KeysPerRun = 20;
    public const int Rounds = 10;
    public const double GoalMs = 200;

    public static async Task<double> RunAsync(StorePlatform platform, TextWriter output)
    {
        var template = await platform.CreateRunAsync("runs-list-0", StorePlatform.IdleQueue);
        await using (var connection = new NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var columns = new NpgsqlCommand(
                "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 'runs' AND column_name NOT IN ('id', 'name', 'created_at')",
                connection);
            var list = (string)(await columns.ExecuteScalarAsync())!;
            await using var copy = new NpgsqlCommand($"""
                INSERT INTO runs (name, created_at, {list})
                SELECT 'runs-list-' || g, now() - g * interval '1 second', {list} FROM runs, generate_series(1, {Runs - 1}) g WHERE id = {template.Id};
                INSERT INTO latest_metrics (run_id, key, step, value)
                SELECT r.id, 'bench/metric_' || k, 100, random() FROM runs r, generate_series(1, {KeysPerRun - 1}) k WHERE r.name LIKE 'runs-list-%';
                INSERT INTO latest_metrics (run_id, key, step, value)
                SELECT r.id, 'reward/mean', 100, random() FROM runs r WHERE r.name LIKE 'runs-list-%' AND r.id % 5 <> 0;
                ANALYZE runs; ANALYZE latest_metrics;
                """, connection);
            copy.CommandTimeout = 600;
            await copy.ExecuteNonQueryAsync();
        }
        var cases = new (string Name, string Query)[]
        {
            ("newest", "pageSize=50"),
            ("newest_deep", "pageSize=50&page=150"),
            ("name", "sort=name&pageSize=50&page=20"),
            ("metric", "sort=metric:reward/mean&pageSize=50"),
            ("metric_deep", "sort=metric:reward/mean&order=asc&pageSize=50&page=190"),
            ("search", "q=list-99&pageSize=50"),
        };
        var slowest = 0.0;
        foreach (var (name, query) in cases)
        {
            var times = new List<double>();
            for (var round = 0; round <= Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await platform.Admin.GetAsync($"/api/runs?experiment=bench-store&{query}");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                if (name == "newest" && int.Parse(response.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture) < Runs)
                    throw new InvalidOperationException($"the list holds fewer than {Runs} runs: the copy failed");
                if (round > 0) times.Add(watch.Elapsed.TotalMilliseconds); // the first warms the plan cache
            }
            var median = StoreBenchmark.Percentile(times, 0.5);
            StoreBenchmark.Print(output, $"runs_list_{name}_ms", median);
            slowest = Math.Max(slowest, median);
        }
        return slowest;
    }
}
