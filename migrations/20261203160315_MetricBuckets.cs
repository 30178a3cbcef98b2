using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RlStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class MetricBuckets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metric_buckets",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    start_step = table.Column<int>(type: "integer", nullable: false),
                    min_value = table.Column<double>(type: "double precision", nullable: false),
                    max_value = table.Column<double>(type: "double precision", nullable: false),
                    last_step = table.Column<int>(type: "integer", nullable: false),
                    last_value = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metric_buckets", x => new { x.run_id, x.key, x.width, x.start_step });
                    table.ForeignKey(
                        name: "fk_metric_buckets_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Summaries of the points stored so far, at the widths of MetricBuckets.Widths.
            migrationBuilder.Sql(
                "INSERT INTO metric_buckets (run_id, key, width, start_step, min_value, max_value, last_step, last_value) " +
                "SELECT m.run_id, m.key, w.width, (m.step / w.width) * w.width, min(m.value), max(m.value), max(m.step), " +
                "(array_agg(m.value ORDER BY m.step DESC))[1] " +
                "FROM metric_points m CROSS JOIN (VALUES (100), (10000)) AS w(width) " +
                "GROUP BY m.run_id, m.key, w.width, m.step / w.width;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_buckets");
        }
    }
}
