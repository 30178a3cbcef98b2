using System.Buffers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Storage;

/// <summary>
/// Checkpoint content streamed in and out of <c>checkpoint_chunks</c> (bytea rows of <see cref="ChunkSize"/>),
/// so neither side holds a whole checkpoint in memory.
/// </summary>
public static class CheckpointStore
{
    public const int ChunkSize = 1024 * 1024;

    /// <summary>
    /// Stores <paramref name="content"/> as the checkpoint of <paramref name="runId"/> at <paramref name="step"/>,
    /// with its size and SHA-256, in one transaction. Idempotent by (run, step): when that checkpoint exists, it is
    /// returned unchanged and the content is not read. <c>Created</c> says whether this call stored it.
    /// </summary>
    public static async Task<(CheckpointDto Checkpoint, bool Created)> WriteCheckpointAsync(
        this RlStudioDbContext db, long runId, int step, Stream content, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, runId, step, cancellationToken) is { } existing)
        {
            return (existing, false);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var checkpoint = new Checkpoint { RunId = runId, Step = step, Sha256 = new string('0', 64), CreatedAt = DateTimeOffset.UtcNow };
            db.Checkpoints.Add(checkpoint);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return (await FindAsync(db, runId, step, cancellationToken) ?? throw new InvalidOperationException("Checkpoint vanished."), false);
            }
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            var index = 0;
            while (true)
            {
                var filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
                if (filled == 0)
                {
                    break;
                }
                hash.AppendData(buffer, 0, filled);
                size += filled;
                db.CheckpointChunks.Add(new CheckpointChunk { CheckpointId = checkpoint.Id, Index = index++, Data = buffer.AsSpan(0, filled).ToArray() });
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (filled < ChunkSize)
                {
                    break;
                }
            }
            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            await db.Checkpoints.Where(c => c.Id == checkpoint.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.SizeBytes, size).SetProperty(c => c.Sha256, sha), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (new CheckpointDto(checkpoint.Id, runId, step, size, sha, checkpoint.CreatedAt), true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes a checkpoint's content to <paramref name="output"/>, one chunk at a time.</summary>
    public static async Task CopyCheckpointContentAsync(this RlStudioDbContext db, long checkpointId, Stream output, CancellationToken cancellationToken)
    {
        var chunkCount = await db.CheckpointChunks.CountAsync(c => c.CheckpointId == checkpointId, cancellationToken);
        for (var index = 0; index < chunkCount; index++)
        {
            var i = index;
            var data = await db.CheckpointChunks.AsNoTracking()
                .Where(c => c.CheckpointId == checkpointId && c.Index == i)
                .Select(c => c.Data)
                .SingleAsync(cancellationToken);
            await output.WriteAsync(data, cancellationToken);
        }
    }

    public static Task<CheckpointDto?> GetCheckpointAsync(this RlStudioDbContext db, long checkpointId, CancellationToken cancellationToken) =>
        Project(db.Checkpoints.Where(c => c.Id == checkpointId)).SingleOrDefaultAsync(cancellationToken);

    public static Task<List<CheckpointDto>> ListCheckpointsAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        Project(db.Checkpoints.Where(c => c.RunId == runId).OrderBy(c => c.Step)).ToListAsync(cancellationToken);

    /// <summary>The run's checkpoint with the highest step, if any.</summary>
    public static Task<CheckpointDto?> NewestCheckpointAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        Project(db.Checkpoints.Where(c => c.RunId == runId).OrderByDescending(c => c.Step)).FirstOrDefaultAsync(cancellationToken);

    private static Task<CheckpointDto?> FindAsync(RlStudioDbContext db, long runId, int step, CancellationToken cancellationToken) =>
        Project(db.Checkpoints.Where(c => c.RunId == runId && c.Step == step)).SingleOrDefaultAsync(cancellationToken);

    private static IQueryable<CheckpointDto> Project(IQueryable<Checkpoint> checkpoints) =>
        checkpoints.AsNoTracking().Select(c => new CheckpointDto(c.Id, c.RunId, c.Step, c.SizeBytes, c.Sha256, c.CreatedAt));
}
