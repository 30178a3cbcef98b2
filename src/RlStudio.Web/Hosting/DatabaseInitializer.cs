using Microsoft.EntityFrameworkCore;
using RlStudio.Data;
using RlStudio.Data.Seeding;

namespace RlStudio.Web.Hosting;

/// <summary>Applies pending migrations, seeds the demo and the first accounts before the server starts listening.</summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RlStudioDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        await DemoSeeder.SeedAsync(db, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<Auth.AccountBootstrap>().RunAsync(cancellationToken);
        logger.LogInformation("Database migrated and seeded");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
