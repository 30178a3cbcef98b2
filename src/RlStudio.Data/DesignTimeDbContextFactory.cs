using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RlStudio.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without a running host. Set
/// <c>RLSTUDIO_DESIGN_CONNECTION</c> for commands that need a live database (<c>database update</c>).
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RlStudioDbContext>
{
    public RlStudioDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("RLSTUDIO_DESIGN_CONNECTION")
            ?? "Host=127.0.0.1;Port=5432;Database=rlstudio;Username=postgres";
        var options = new DbContextOptionsBuilder<RlStudioDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(RlStudioDbContext).Assembly.GetName().Name))
            .Options;
        return new RlStudioDbContext(options);
    }
}
