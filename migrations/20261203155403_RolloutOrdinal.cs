using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RlStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class RolloutOrdinal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_rollout_samples_run_id_step",
                table: "rollout_samples");

            migrationBuilder.AddColumn<int>(
                name: "ordinal",
                table: "rollout_samples",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Samples stored before places existed are numbered in the order they were stored.
            migrationBuilder.Sql(
                "UPDATE rollout_samples r SET ordinal = n.place FROM " +
                "(SELECT id, row_number() OVER (PARTITION BY run_id, step ORDER BY id) - 1 AS place FROM rollout_samples) n WHERE r.id = n.id;");

            migrationBuilder.CreateIndex(
                name: "ix_rollout_samples_run_id_step_ordinal",
                table: "rollout_samples",
                columns: new[] { "run_id", "step", "ordinal" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_rollout_samples_run_id_step_ordinal",
                table: "rollout_samples");

            migrationBuilder.DropColumn(
                name: "ordinal",
                table: "rollout_samples");

            migrationBuilder.CreateIndex(
                name: "ix_rollout_samples_run_id_step",
                table: "rollout_samples",
                columns: new[] { "run_id", "step" });
        }
    }
}
