namespace RlStudio.Data.Entities;

/// <summary>A Ray cluster an Admin registered: external runs are launched only on these (never on an address a run spec makes up).</summary>
public sealed class RayCluster
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The dashboard's HTTP address, where Ray's Jobs API answers ("http://head:8265").</summary>
    public required string Address { get; set; }

    /// <summary>A header every request to the cluster carries (e.g. "Authorization"), with its value; null for none.</summary>
    public string? AuthHeaderName { get; set; }
    public string? AuthHeaderValue { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public long? CreatedById { get; set; }
}
