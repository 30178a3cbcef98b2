namespace RlStudio.Contracts.Experiments;

/// <summary>
/// <c>GET /api/experiments</c>: an experiment and how its runs stand. <see cref="Active"/> counts runs queued or training;
/// <see cref="BestReward"/> is the highest latest <c>reward/mean</c> among its runs (null when none reports it).
/// </summary>
public sealed record ExperimentDto(
    long Id,
    string Name,
    DateTimeOffset CreatedAt,
    int Runs,
    int Active,
    int Succeeded,
    int Failed,
    double? BestReward,
    DateTimeOffset? LastRunAt);
