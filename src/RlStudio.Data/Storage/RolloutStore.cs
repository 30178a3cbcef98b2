using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Contracts.Runs;

namespace RlStudio.Data.Storage;

/// <summary>Rollout samples: appended by workers, read newest first or one step at a time.</summary>
public static class RolloutStore
{
    /// <summary>
    /// Stores samples (text made storable: NUL becomes a visible stand-in) and returns those newly stored, with their times.
    /// Each sample's place in its step is its position among the batch's samples of that step (<see cref="RolloutPlacement.AsSent"/>:
    /// a batch sent again is stored once) or after the step's stored samples (<see cref="RolloutPlacement.Append"/>); places from
    /// <paramref name="keptPerStep"/> on are not kept.
    /// </summary>
    public static async Task<IReadOnlyList<RolloutDto>> AppendRolloutsAsync(this RlStudioDbContext db, long runId, IReadOnlyList<RolloutDto> samples,
        CancellationToken cancellationToken, RolloutPlacement placement = RolloutPlacement.AsSent, int keptPerStep = int.MaxValue)
    {
        if (samples.Count == 0) return [];
        var now = DateTimeOffset.UtcNow;
        var placed = samples.Select(s => s with { CreatedAt = (s.CreatedAt ?? now).ToUniversalTime() }).ToList();
        var ordinals = new int[placed.Count];
        var perStep = new Dictionary<int, int>();
        for (var i = 0; i < placed.Count; i++)
        {
            ordinals[i] = perStep.TryGetValue(placed[i].Step, out var n) ? n : 0;
            perStep[placed[i].Step] = ordinals[i] + 1;
        }
        var parameters = new object[]
        {
            new NpgsqlParameter("run", runId),
            new NpgsqlParameter("append", placement == RolloutPlacement.Append),
            new NpgsqlParameter("kept", keptPerStep),
            new NpgsqlParameter("steps", placed.Select(s => s.Step).ToArray()),
            new NpgsqlParameter("ordinals", ordinals),
            new NpgsqlParameter("groups", placed.Select(s => s.Group).ToArray()),
            new NpgsqlParameter("prompts", placed.Select(s => PostgresText.Storable(s.Prompt)).ToArray()),
            new NpgsqlParameter("completions", placed.Select(s => PostgresText.Storable(s.Completion)).ToArray()),
            new NpgsqlParameter("refs", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = placed.Select(s => PostgresText.StorableOrNull(s.Reference)).ToArray() },
            new NpgsqlParameter("rewards", placed.Select(s => s.Reward).ToArray()),
            new NpgsqlParameter("scores", placed.Select(s => JsonSerializer.Serialize(s.Rewards ?? new Dictionary<string, double?>(), JsonColumn.Options)).ToArray()),
            new NpgsqlParameter("advantages", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Double) { Value = placed.Select(s => s.Advantage).ToArray() },
            new NpgsqlParameter("tokens", placed.Select(s => s.Tokens).ToArray()),
            new NpgsqlParameter("times", placed.Select(s => s.CreatedAt!.Value).ToArray()),
            new NpgsqlParameter("turns", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
            {
                // Texts made storable before serializing: jsonb refuses the \u0000 escape JSON would write for NUL.
                Value = placed.Select(s => s.Turns is null ? null : JsonSerializer.Serialize(
                    s.Turns.Select(t => t with { Observation = PostgresText.Storable(t.Observation), Action = PostgresText.Storable(t.Action) }), JsonColumn.Options)).ToArray(),
            },
        };
        var stored = await db.Database.SqlQueryRaw<long>(
            """
            WITH sent AS (
                SELECT t.*, t.ordinal + CASE WHEN @append
                    THEN coalesce((SELECT max(r.ordinal) + 1 FROM rollout_samples r WHERE r.run_id = @run AND r.step = t.step), 0) ELSE 0 END AS place,
                    row_number() OVER () - 1 AS sent_index
                FROM unnest(@steps, @ordinals, @groups, @prompts, @completions, @refs, @rewards, @scores, @advantages, @tokens, @times, @turns)
                    AS t(step, ordinal, "group", prompt, completion, reference, reward, scores, advantage, tokens, created_at, turns)
            ), kept AS (
                INSERT INTO rollout_samples (run_id, step, ordinal, "group", prompt, completion, reference, reward, rewards, advantage, tokens, created_at, turns)
                SELECT @run, step, place, "group", prompt, completion, reference, reward, scores::jsonb, advantage, tokens, created_at, turns::jsonb
                FROM sent WHERE place < @kept
                ON CONFLICT (run_id, step, ordinal) DO NOTHING
                RETURNING step, ordinal
            )
            SELECT sent.sent_index AS "Value" FROM sent JOIN kept ON kept.step = sent.step AND kept.ordinal = sent.place ORDER BY sent.sent_index
            """, parameters).ToListAsync(cancellationToken);
        return stored.Select(index => placed[(int)index]).ToList();
    }

    /// <summary>
    /// The newest samples that match <paramref name="query"/> (its limit applied by the caller's default): a step or step
    /// range, a reward range (of the combined reward, or of one function's score), and a full-text search over prompt and completion (PostgreSQL <c>simple</c> configuration,
    /// GIN-indexed).
    /// </summary>
    public static async Task<List<RolloutDto>> ReadRolloutsAsync(this RlStudioDbContext db, long runId, RolloutQuery query, int limit,
        CancellationToken cancellationToken)
    {
        var rows = query.Function is { } function
            // One function's score (a number in the rewards object; null where it could not score the sample).
            ? db.RolloutSamples.FromSqlInterpolated($"""
                SELECT * FROM rollout_samples WHERE run_id = {runId} AND jsonb_typeof(rewards -> {function}) = 'number'
                AND (rewards ->> {function})::float8 BETWEEN {query.MinReward ?? double.MinValue} AND {query.MaxReward ?? double.MaxValue}
                """).AsNoTracking()
            : db.RolloutSamples.AsNoTracking().Where(r => r.RunId == runId);
        if (query.Step is { } step) rows = rows.Where(r => r.Step == step);
        if (query.FromStep is { } from) rows = rows.Where(r => r.Step >= from);
        if (query.ToStep is { } to) rows = rows.Where(r => r.Step <= to);
        if (query.Function is null && query.MinReward is { } min) rows = rows.Where(r => r.Reward >= min);
        if (query.Function is null && query.MaxReward is { } max) rows = rows.Where(r => r.Reward <= max);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var words = query.Q.Trim();
            rows = rows.Where(r => EF.Functions.ToTsVector("simple", r.Prompt + " " + r.Completion)
                .Matches(EF.Functions.WebSearchToTsQuery("simple", words)));
        }
        var found = await rows.OrderByDescending(r => r.Step).ThenByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken);
        return found.Select(r => new RolloutDto(r.Step, r.Group, r.Prompt, r.Completion, r.Reference, r.Reward, r.Rewards, r.Advantage, r.Tokens, r.CreatedAt, r.Turns)).ToList();
    }

    /// <summary>The steps that have samples, ascending.</summary>
    public static Task<List<int>> RolloutStepsAsync(this RlStudioDbContext db, long runId, CancellationToken cancellationToken) =>
        db.RolloutSamples.AsNoTracking().Where(r => r.RunId == runId).Select(r => r.Step).Distinct().OrderBy(s => s).ToListAsync(cancellationToken);
}

/// <summary>Where appended rollout samples go among their step's samples (see <see cref="RolloutStore.AppendRolloutsAsync"/>).</summary>
public enum RolloutPlacement
{
    /// <summary>At their position in the request: sending the same samples again changes nothing (the worker's reports).</summary>
    AsSent,

    /// <summary>After the step's stored samples (a tracking client logging several tables at one step).</summary>
    Append,
}
