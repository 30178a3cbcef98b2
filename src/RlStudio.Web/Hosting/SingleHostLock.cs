using Microsoft.EntityFrameworkCore;
using RlStudio.Data;

namespace RlStudio.Web.Hosting;

/// <summary>
/// Work that one web host at a time must do when several share a database (the stale-run sweep, following launched
/// runs): a PostgreSQL session advisory lock named after the work, held on <paramref name="db"/>'s connection while it runs.
/// A host that finds it taken skips this round — another host is doing it.
/// </summary>
public static class SingleHostLock
{
    /// <summary>Runs <paramref name="work"/> under the lock; false (not run) when another host holds it.</summary>
    public static async Task<bool> TryRunAsync(RlStudioDbContext db, string name, Func<Task> work, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var taken = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock(hashtext({name})) AS \"Value\"").SingleAsync(cancellationToken);
            if (!taken) return false;
            try
            {
                await work();
                return true;
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtext({name}))", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
