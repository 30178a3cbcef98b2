using System.Runtime.ExceptionServices;

namespace RlStudio.Worker.Ingest;

/// <summary>
/// A run's reports on their way to the web host, kept on disk in order (one file each, <c>{sequence}.{kind}</c>) until
/// delivered: a background loop sends the oldest, and only deletes it once the host took it. While the host (or its
/// database) is away the loop keeps retrying and the files wait; training goes on. The spool is bounded: when it holds
/// <c>capacityBytes</c>, <see cref="AddAsync"/> waits for room — the trainer pauses at its step boundary instead of dropping
/// anything (one report larger than the whole capacity still goes in alone). A refusal that is not an outage (409: the run
/// is no longer this node's) stops delivery; the next <see cref="AddAsync"/> or <see cref="FlushAsync"/> throws it.
/// </summary>
public sealed class ReportSpool : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly long _capacityBytes;
    private readonly Func<SpooledReport, CancellationToken, Task> _deliver;
    private readonly ILogger _logger;
    private readonly Queue<SpooledReport> _pending = new();
    private readonly SemaphoreSlim _added = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = NewSignal();
    private long _sequence;
    private long _bytes;
    private Exception? _failure;

    private ReportSpool(string directory, long capacityBytes, Func<SpooledReport, CancellationToken, Task> deliver, ILogger logger)
    {
        _directory = directory;
        _capacityBytes = capacityBytes;
        _deliver = deliver;
        _logger = logger;
        _loop = Task.Run(DeliverAsync);
    }

    /// <summary>
    /// Opens the spool in <paramref name="directory"/>, emptied first: what an earlier process left there was never
    /// acknowledged, and the run resumes from its newest delivered checkpoint, which redoes those steps.
    /// </summary>
    public static ReportSpool Open(string directory, long capacityBytes, Func<SpooledReport, CancellationToken, Task> deliver, ILogger logger)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        return new ReportSpool(directory, capacityBytes, deliver, logger);
    }

    /// <summary>Reports written but not yet taken by the web host, and their size on disk.</summary>
    public (int Count, long Bytes) Pending
    {
        get
        {
            lock (_pending) return (_pending.Count, _bytes);
        }
    }

    /// <summary>Writes one report to disk, behind all earlier ones; waits while the spool is full.</summary>
    public async Task AddAsync(string kind, byte[] payload, CancellationToken cancellationToken)
    {
        var paused = false;
        while (true)
        {
            Task changed;
            lock (_pending)
            {
                ThrowIfFailed();
                if (_pending.Count == 0 || _bytes + payload.Length <= _capacityBytes) break;
                changed = _changed.Task;
            }
            if (!paused)
            {
                paused = true;
                _logger.LogWarning("Report spool {Directory} is full ({Bytes} bytes waiting for the web host): training pauses until it takes them",
                    _directory, Pending.Bytes);
            }
            await changed.WaitAsync(cancellationToken);
        }
        if (paused) _logger.LogInformation("Report spool {Directory} has room again: training goes on", _directory);

        var sequence = Interlocked.Increment(ref _sequence);
        var path = Path.Combine(_directory, $"{sequence:D12}.{kind}");
        var partial = path + ".partial";
        await File.WriteAllBytesAsync(partial, payload, CancellationToken.None);   // a report with room is always kept, even as the node stops
        File.Move(partial, path);   // a crash never leaves a half-written report that looks whole
        lock (_pending)
        {
            _pending.Enqueue(new SpooledReport(sequence, kind, path, payload.Length));
            _bytes += payload.Length;
        }
        _added.Release();
    }

    /// <summary>Waits until the web host has taken every report written so far (or throws why it never will).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_pending)
            {
                ThrowIfFailed();
                if (_pending.Count == 0) return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    private async Task DeliverAsync()
    {
        DateTimeOffset? outageSince = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _added.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            SpooledReport report;
            lock (_pending) report = _pending.Peek();
            var backoff = TimeSpan.FromSeconds(1);
            while (true)
            {
                try
                {
                    await _deliver(report, _stop.Token);
                    break;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (IngestClient.IsOutage(e, _stop.Token))
                {
                    if (outageSince is null)
                    {
                        outageSince = DateTimeOffset.UtcNow;
                        _logger.LogWarning("The web host is unreachable ({Error}); reports wait on disk in {Directory} and are retried",
                            e.Message, _directory);
                    }
                    try
                    {
                        await Task.Delay(backoff, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
                catch (Exception e)
                {
                    lock (_pending) _failure = e;
                    Signal();
                    return;
                }
            }
            if (outageSince is { } since)
            {
                _logger.LogInformation("The web host takes reports again after {Seconds:0} s; {Count} still on disk", (DateTimeOffset.UtcNow - since).TotalSeconds, Pending.Count);
                outageSince = null;
            }
            File.Delete(report.Path);
            lock (_pending)
            {
                _pending.Dequeue();
                _bytes -= report.Bytes;
            }
            Signal();
        }
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_pending)
        {
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops delivering; what is left stays on disk until the run's next trainer opens the spool (and empties it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _added.Dispose();
    }
}

/// <summary>One report in a <see cref="ReportSpool"/>: its place, kind (e.g. <c>metrics</c>, <c>checkpoint.40</c>) and file.</summary>
public sealed record SpooledReport(long Sequence, string Kind, string Path, long Bytes)
{
    public Task<byte[]> ReadAsync(CancellationToken cancellationToken) => File.ReadAllBytesAsync(Path, cancellationToken);
}
