using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlStudio.Data.Entities;

namespace RlStudio.Data.Tracking;

/// <summary>Experiments by name: found, or created once even when two callers ask at the same moment.</summary>
public static class ExperimentStore
{
    public static async Task<long> EnsureExperimentAsync(this RlStudioDbContext db, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var id = await db.Experiments.Where(e => e.Name == name).Select(e => (long?)e.Id).SingleOrDefaultAsync(cancellationToken);
            if (id is { } existing)
            {
                return existing;
            }
            var experiment = new Experiment { Name = name, CreatedAt = DateTimeOffset.UtcNow };
            db.Experiments.Add(experiment);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return experiment.Id;
            }
            catch (DbUpdateException e) when (attempt == 0 && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                db.ChangeTracker.Clear(); // created concurrently: read it back
            }
        }
    }
}
