using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Hosting;

namespace RlStudio.Web.Live;

/// <summary>
/// Live updates across web hosts that share one database (section <c>RlStudio:LiveBackplane</c>, off by default): every
/// batch a host pushes to its own clients (<see cref="LivePushService"/>) is also published with PostgreSQL
/// <c>NOTIFY</c> on channel <see cref="Channel"/>, in chunks under NOTIFY's 8000-byte limit; every other host
/// <c>LISTEN</c>s on a dedicated connection, reassembles the batch and pushes it to its clients. So a browser sees a run's
/// reports whichever host took them. A host that loses its connection reconnects (what was published meanwhile is
/// missed; pages catch up over REST as after any reconnect).
/// </summary>
public sealed class LiveBackplane(IOptions<LiveBackplaneOptions> options, IConfiguration configuration, ILogger<LiveBackplane> logger) : BackgroundService
{
    public const string Channel = "rlstudio_live";

    /// <summary>Characters of a batch's JSON per notification (at most 3 bytes each in UTF-8, so well under 8000 bytes).</summary>
    private const int ChunkChars = 2000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly string _host = Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<string> _received = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<(string Host, long Batch), string?[]> _partial = new();
    private NpgsqlDataSource? _dataSource;
    private long _sequence;

    /// <summary>Set by <see cref="LivePushService"/>: how a batch from another host reaches this host's clients.</summary>
    public Func<PendingPushes, Task>? PushLocally { get; set; }

    public bool Enabled => options.Value.Enabled;

    private NpgsqlDataSource DataSource => _dataSource ??= NpgsqlDataSource.Create(configuration.GetConnectionString(DatabaseSetup.ConnectionStringName)!);

    /// <summary>Publishes a batch this host pushed to its clients, for the other hosts (a failure is logged: live updates are best effort).</summary>
    public async Task PublishAsync(PendingPushes pending, CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        try
        {
            var json = JsonSerializer.Serialize(Wire.From(pending), Json);
            var batch = Interlocked.Increment(ref _sequence);
            var chunks = Split(json).ToArray();
            var messages = chunks.Select((chunk, i) => $"{_host}|{batch}|{i}|{chunks.Length}|{chunk}").ToArray();
            await using var command = DataSource.CreateCommand($"SELECT pg_notify('{Channel}', m) FROM unnest(@messages) WITH ORDINALITY AS t(m, n) ORDER BY n");
            command.Parameters.AddWithValue("messages", messages);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning("Publishing live updates to the other web hosts failed: {Error}", e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        var pushing = Task.Run(() => PushReceivedAsync(stoppingToken), stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => _received.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);
                logger.LogInformation("Listening for live updates of other web hosts (host {Host})", _host);
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Live updates of other web hosts: connection lost ({Error}); reconnecting", e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
        _received.Writer.TryComplete();
        try { await pushing; } catch (OperationCanceledException) { }
    }

    private async Task PushReceivedAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _received.Reader.ReadAllAsync(stoppingToken))
        {
            var parts = message.Split('|', 5);
            if (parts.Length != 5 || parts[0] == _host) continue;   // malformed, or this host's own batch
            if (!long.TryParse(parts[1], out var batch) || !int.TryParse(parts[2], out var index) || !int.TryParse(parts[3], out var count)
                || count < 1 || index < 0 || index >= count) continue;
            var chunks = _partial.GetOrAdd((parts[0], batch), _ => new string?[count]);
            if (chunks.Length != count) continue;
            chunks[index] = parts[4];
            if (chunks.Any(c => c is null)) continue;
            _partial.TryRemove((parts[0], batch), out _);
            try
            {
                var pending = JsonSerializer.Deserialize<Wire>(string.Concat(chunks), Json)!.ToPending();
                if (PushLocally is { } push) await push(pending);
            }
            catch (JsonException e)
            {
                logger.LogWarning("A live update from another web host could not be read: {Error}", e.Message);
            }
            // Chunks of batches whose other parts never came (a host that died mid-publish) are dropped after a while.
            if (_partial.Count > 100) _partial.Clear();
        }
    }

    private static IEnumerable<string> Split(string json)
    {
        for (var start = 0; start < json.Length;)
        {
            var length = Math.Min(ChunkChars, json.Length - start);
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1])) length--;   // keep surrogate pairs whole
            yield return json.Substring(start, length);
            start += length;
        }
    }

    /// <summary><see cref="PendingPushes"/> as JSON carries it.</summary>
    private sealed record Wire(
        Dictionary<long, List<MetricPoint>> Metrics,
        Dictionary<long, List<RolloutDto>> Rollouts,
        Dictionary<long, RunSummary> Runs,
        Dictionary<long, CheckpointExportDto> Exports,
        List<long> Deleted,
        Dictionary<long, BatchProgress> Batches)
    {
        public static Wire From(PendingPushes p) => new(
            p.Metrics.ToDictionary(), p.Rollouts.ToDictionary(), p.Runs.ToDictionary(), p.Exports.ToDictionary(), [.. p.Deleted], p.Batches.ToDictionary());

        public PendingPushes ToPending() => new(Metrics, Rollouts, Runs, Exports, Deleted.ToHashSet(), Batches);
    }

    public override void Dispose()
    {
        _dataSource?.Dispose();
        base.Dispose();
    }
}

/// <summary>Section <c>RlStudio:LiveBackplane</c>: turn on when several web hosts serve one database.</summary>
public sealed record LiveBackplaneOptions
{
    public const string Section = "RlStudio:LiveBackplane";

    public bool Enabled { get; init; }
}
