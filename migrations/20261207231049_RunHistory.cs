using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RlStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "run_setting_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    changes = table.Column<string>(type: "jsonb", nullable: false),
                    step = table.Column<int>(type: "integer", nullable: true),
                    requested_by_id = table.Column<long>(type: "bigint", nullable: true),
                    requested_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_setting_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_setting_changes_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_status_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    step = table.Column<int>(type: "integer", nullable: false),
                    worker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_status_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_status_changes_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_run_setting_changes_run_id_id",
                table: "run_setting_changes",
                columns: new[] { "run_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_run_status_changes_run_id_id",
                table: "run_status_changes",
                columns: new[] { "run_id", "id" });

            // Every status a run enters is recorded here, whichever code path (or SQL) set it.
            migrationBuilder.Sql("""
                CREATE FUNCTION record_run_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
                        INSERT INTO run_status_changes (run_id, status, step, worker, error, at)
                        VALUES (NEW.id, NEW.status, NEW.step, NEW.worker, NEW.error, now());
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER runs_record_status_change AFTER INSERT OR UPDATE OF status ON runs
                    FOR EACH ROW EXECUTE FUNCTION record_run_status_change();
                INSERT INTO run_status_changes (run_id, status, step, worker, error, at)
                    SELECT id, status, step, worker, error, coalesce(finished_at, started_at, created_at) FROM runs;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER runs_record_status_change ON runs; DROP FUNCTION record_run_status_change();");

            migrationBuilder.DropTable(
                name: "run_setting_changes");

            migrationBuilder.DropTable(
                name: "run_status_changes");
        }
    }
}
