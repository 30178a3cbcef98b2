using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Storage;

/// <summary>Rollout samples: appended by workers, read newest first or one step at a time.</summary>
public static class RolloutStore
{
    /// <summary>Stores samples (text made storable: NUL becomes a visible stand-in); returns them as stored, with their times.</summary>
    public static async Task<IReadOnlyList<RolloutDto>> AppendRolloutsAsync(this RlStudioDbContext db, long runId, IReadOnlyList<RolloutDto> samples,
        CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var stored = samples.Select(s => s with { CreatedAt = s.CreatedAt ?? now }).ToList();
        db.RolloutSamples.AddRange(stored.Select(s => new RolloutSample
        {
            RunId = runId,
            Step = s.Step,
            Group = s.Group,
            Prompt = PostgresText.Storable(s.Prompt),
            Completion = PostgresText.Storable(s.Completion),
            Reference = PostgresText.StorableOrNull(s.Reference),
            Reward = s.Reward,
            Rewards = new Dictionary<string, double?>(s.Rewards ?? new Dictionary<string, double?>()),
            Advantage = s.Advantage,
            Tokens = s.Tokens,
            CreatedAt = s.CreatedAt!.Value,
        }));
        await db.SaveChangesAsync(cancellationToken);
        return stored;
    }

    /// <summary>The newest samples (<paramref name="limit"/>), or those of one <paramref name="step"/>.</summary>
    public static async Task<List<RolloutDto>> ReadRolloutsAsync(this RlStudioDbContext db, long runId, int? step, int limit, CancellationToken cancellationToken)
    {
        var rows = await db.RolloutSamples.AsNoTracking().Where(r => r.RunId == runId && (step == null || r.Step == step))
            .OrderByDescending(r => r.Step).ThenByDescending(r => r.Id).Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new RolloutDto(r.Step, r.Group, r.Prompt, r.Completion, r.Reference, r.Reward, r.Rewards, r.Advantage, r.Tokens, r.CreatedAt)).ToList();
    }

    /// <summary>The steps that have samples, ascending.</summary>
    public static Task<List<int>> RolloutStepsAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        db.RolloutSamples.AsNoTracking().Where(r => r.RunId == runId).Select(r => r.Step).Distinct().OrderBy(s => s).ToListAsync(cancellationToken);
}
