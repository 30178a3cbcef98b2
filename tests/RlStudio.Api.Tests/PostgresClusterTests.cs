using Npgsql;
using RlStudio.Data.Embedded;

namespace RlStudio.Api.Tests;

public sealed class PostgresClusterTests
{
    [Fact]
    public async Task Start_SameDataDirAgain_ReusesData()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"rlstudio-pg-reuse-{Guid.NewGuid():N}");
        try
        {
            var options = new PostgresClusterOptions { DataDir = dataDir, Fsync = false, Database = "reuse" };
            await using (var first = await PostgresCluster.StartAsync(options))
            {
                await Execute(first.ConnectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
            }
            await using var second = await PostgresCluster.StartAsync(options);
            await using var connection = new NpgsqlConnection(second.ConnectionString);
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT v FROM kept", connection);
            Assert.Equal(42, await query.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
