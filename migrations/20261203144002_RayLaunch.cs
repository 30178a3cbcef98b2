using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RlStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class RayLaunch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "launch",
                table: "runs",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "run_id",
                table: "api_keys",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ray_clusters",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    auth_header_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    auth_header_value = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    created_by_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ray_clusters", x => x.id);
                    table.ForeignKey(
                        name: "fk_ray_clusters_users_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_run_id",
                table: "api_keys",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_ray_clusters_created_by_id",
                table: "ray_clusters",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_ray_clusters_name",
                table: "ray_clusters",
                column: "name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_api_keys_runs_run_id",
                table: "api_keys",
                column: "run_id",
                principalTable: "runs",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_api_keys_runs_run_id",
                table: "api_keys");

            migrationBuilder.DropTable(
                name: "ray_clusters");

            migrationBuilder.DropIndex(
                name: "ix_api_keys_run_id",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "launch",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "run_id",
                table: "api_keys");
        }
    }
}
