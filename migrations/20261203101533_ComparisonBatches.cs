using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RlStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class ComparisonBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "source_batch_id",
                table: "dataset_versions",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "comparison_batches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    dataset_id = table.Column<long>(type: "bigint", nullable: true),
                    dataset_version_id = table.Column<long>(type: "bigint", nullable: true),
                    sources = table.Column<string>(type: "jsonb", nullable: false),
                    overlap = table.Column<int>(type: "integer", nullable: false),
                    guidelines = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    labeler_ids = table.Column<List<long>>(type: "bigint[]", nullable: true),
                    allow_ties = table.Column<bool>(type: "boolean", nullable: false),
                    allow_both_bad = table.Column<bool>(type: "boolean", nullable: false),
                    excluded_labeler_ids = table.Column<List<long>>(type: "bigint[]", nullable: false, defaultValueSql: "'{}'::bigint[]"),
                    target_items = table.Column<int>(type: "integer", nullable: false),
                    temperature = table.Column<double>(type: "double precision", nullable: false),
                    top_p = table.Column<double>(type: "double precision", nullable: false),
                    max_new_tokens = table.Column<int>(type: "integer", nullable: false),
                    seed = table.Column<long>(type: "bigint", nullable: false),
                    queue = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    job_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    worker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_by_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_comparison_batches", x => x.id);
                    table.ForeignKey(
                        name: "fk_comparison_batches_dataset_versions_dataset_version_id",
                        column: x => x.dataset_version_id,
                        principalTable: "dataset_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_comparison_batches_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_comparison_batches_users_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "comparison_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    prompt = table.Column<string>(type: "text", nullable: false),
                    response_a = table.Column<string>(type: "text", nullable: false),
                    response_b = table.Column<string>(type: "text", nullable: false),
                    reference = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_comparison_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_comparison_items_comparison_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "comparison_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "label_assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    labeler_id = table.Column<long>(type: "bigint", nullable: false),
                    swapped = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_label_assignments", x => x.id);
                    table.ForeignKey(
                        name: "fk_label_assignments_comparison_items_item_id",
                        column: x => x.item_id,
                        principalTable: "comparison_items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_label_assignments_users_labeler_id",
                        column: x => x.labeler_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "preference_labels",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: false),
                    labeler_id = table.Column<long>(type: "bigint", nullable: false),
                    choice = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    swapped = table.Column<bool>(type: "boolean", nullable: false),
                    rationale = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    seconds = table.Column<double>(type: "double precision", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_preference_labels", x => x.id);
                    table.ForeignKey(
                        name: "fk_preference_labels_comparison_items_item_id",
                        column: x => x.item_id,
                        principalTable: "comparison_items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_preference_labels_users_labeler_id",
                        column: x => x.labeler_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dataset_versions_source_batch_id",
                table: "dataset_versions",
                column: "source_batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_comparison_batches_created_at",
                table: "comparison_batches",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_comparison_batches_created_by_id",
                table: "comparison_batches",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_comparison_batches_dataset_id",
                table: "comparison_batches",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "ix_comparison_batches_dataset_version_id",
                table: "comparison_batches",
                column: "dataset_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_comparison_items_batch_id_ordinal",
                table: "comparison_items",
                columns: new[] { "batch_id", "ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_label_assignments_batch_id_labeler_id_state",
                table: "label_assignments",
                columns: new[] { "batch_id", "labeler_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_label_assignments_item_id_labeler_id",
                table: "label_assignments",
                columns: new[] { "item_id", "labeler_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_label_assignments_labeler_id",
                table: "label_assignments",
                column: "labeler_id");

            migrationBuilder.CreateIndex(
                name: "ix_preference_labels_batch_id_labeler_id",
                table: "preference_labels",
                columns: new[] { "batch_id", "labeler_id" });

            migrationBuilder.CreateIndex(
                name: "ix_preference_labels_item_id_labeler_id",
                table: "preference_labels",
                columns: new[] { "item_id", "labeler_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_preference_labels_labeler_id",
                table: "preference_labels",
                column: "labeler_id");

            migrationBuilder.AddForeignKey(
                name: "fk_dataset_versions_comparison_batches_source_batch_id",
                table: "dataset_versions",
                column: "source_batch_id",
                principalTable: "comparison_batches",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_dataset_versions_comparison_batches_source_batch_id",
                table: "dataset_versions");

            migrationBuilder.DropTable(
                name: "label_assignments");

            migrationBuilder.DropTable(
                name: "preference_labels");

            migrationBuilder.DropTable(
                name: "comparison_items");

            migrationBuilder.DropTable(
                name: "comparison_batches");

            migrationBuilder.DropIndex(
                name: "ix_dataset_versions_source_batch_id",
                table: "dataset_versions");

            migrationBuilder.DropColumn(
                name: "source_batch_id",
                table: "dataset_versions");
        }
    }
}
