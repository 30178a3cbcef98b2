using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RlStudio.Worker.Ingest;

namespace RlStudio.Worker.Tests;

/// <summary>The spool delivers in order, keeps reports through an outage, bounds what it holds, and surfaces a refusal.</summary>
public sealed class ReportSpoolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("rlstudio-spool-").FullName, "run-1");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    [Fact]
    public async Task Outage_ReportsWaitOnDisk_AndArriveInOrderOnceItEnds()
    {
        var delivered = new List<string>();
        var hostUp = false;
        await using var spool = ReportSpool.Open(_dir, 1 << 20, async (report, token) =>
        {
            if (!Volatile.Read(ref hostUp)) throw new HttpRequestException("Connection refused");
            delivered.Add(report.Kind + ":" + System.Text.Encoding.UTF8.GetString(await report.ReadAsync(token)));
        }, NullLogger.Instance);

        for (var i = 0; i < 5; i++) await spool.AddAsync("metrics", "step"u8.ToArray().Concat(new[] { (byte)('0' + i) }).ToArray(), CancellationToken.None);
        await Task.Delay(300);
        Assert.Equal(5, spool.Pending.Count);
        Assert.Equal(5, Directory.GetFiles(_dir).Length);

        Volatile.Write(ref hostUp, true);
        await spool.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["metrics:step0", "metrics:step1", "metrics:step2", "metrics:step3", "metrics:step4"], delivered);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Full_AddWaitsForRoom_InsteadOfDroppingOrGrowing()
    {
        var release = new TaskCompletionSource();
        await using var spool = ReportSpool.Open(_dir, 100, async (_, token) => await release.Task.WaitAsync(token), NullLogger.Instance);
        await spool.AddAsync("metrics", new byte[60], CancellationToken.None);
        var second = spool.AddAsync("metrics", new byte[60], CancellationToken.None);
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "a report that would pass the bound waits");
        Assert.Equal((1, 60L), spool.Pending);

        release.SetResult();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        await spool.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OneReportLargerThanTheBound_GoesAloneWhenTheSpoolIsEmpty()
    {
        await using var spool = ReportSpool.Open(_dir, 100, (_, _) => Task.CompletedTask, NullLogger.Instance);
        await spool.AddAsync("checkpoint.10", new byte[1000], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await spool.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Refusal_StopsDelivery_AndTheNextCallThrowsIt()
    {
        await using var spool = ReportSpool.Open(_dir, 1 << 20,
            (_, _) => throw new IngestException(HttpStatusCode.Conflict, "run taken"), NullLogger.Instance);
        await spool.AddAsync("status", new byte[3], CancellationToken.None);
        var refused = await Assert.ThrowsAsync<IngestException>(() => spool.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        await Assert.ThrowsAsync<IngestException>(() => spool.AddAsync("metrics", new byte[3], CancellationToken.None));
    }

    [Fact]
    public async Task Open_EmptiesWhatAnEarlierProcessLeft()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "000000000001.metrics"), [1, 2, 3]);
        var delivered = 0;
        await using var spool = ReportSpool.Open(_dir, 1 << 20, (_, _) => { delivered++; return Task.CompletedTask; }, NullLogger.Instance);
        await spool.FlushAsync(CancellationToken.None);
        Assert.Equal(0, delivered);
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
