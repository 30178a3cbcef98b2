using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RlStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class RolloutSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search over a rollout's prompt and completion (RolloutStore.ReadRolloutsAsync's expression, exactly).
            migrationBuilder.Sql(
                "CREATE INDEX ix_rollout_samples_text ON rollout_samples USING gin (to_tsvector('simple'::regconfig, prompt || ' ' || completion));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_rollout_samples_text;");
        }
    }
}
