using Microsoft.EntityFrameworkCore;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class MigrationsTests(ApiFixture fixture)
{
    [Fact]
    public async Task Model_HasNoChangesWithoutAMigration()
    {
        var pending = await fixture.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));
        Assert.False(pending, "the EF model differs from migrations/: add a migration (see migrations/README.md)");
    }

    [Fact]
    public async Task Database_HasEveryMigrationApplied()
    {
        var pending = await fixture.WithDbAsync(db => db.Database.GetPendingMigrationsAsync());
        Assert.Empty(pending);
    }
}
