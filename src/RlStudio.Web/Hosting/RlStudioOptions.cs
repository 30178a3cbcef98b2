using System.ComponentModel.DataAnnotations;

namespace RlStudio.Web.Hosting;

/// <summary>
/// Section <c>RlStudio</c>. With no <c>ConnectionStrings:RlStudio</c>, the web host runs its own PostgreSQL
/// cluster (all-in-one mode) from these settings.
/// </summary>
public sealed record RlStudioOptions
{
    public const string Section = "RlStudio";

    /// <summary>
    /// Where the embedded cluster keeps its data (<c>{DataDir}/pgdata</c>) and log. Relative paths are relative to
    /// the content root. Default: <c>.data</c> in the repository root (the folder holding <c>RlStudio.sln</c>)
    /// when run from a checkout, else <c>.data</c> in the content root.
    /// </summary>
    public string? DataDir { get; init; }

    /// <summary>Port of the embedded cluster on 127.0.0.1. Default 0: a free port on each start.</summary>
    [Range(0, 65535)]
    public int PostgresPort { get; init; }

}
