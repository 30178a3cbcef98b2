using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RlStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class PreferenceDatasets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "dataset_versions",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Prompts");

            migrationBuilder.AddColumn<string>(
                name: "chosen",
                table: "dataset_items",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rejected",
                table: "dataset_items",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "kind",
                table: "dataset_versions");

            migrationBuilder.DropColumn(
                name: "chosen",
                table: "dataset_items");

            migrationBuilder.DropColumn(
                name: "rejected",
                table: "dataset_items");
        }
    }
}
