namespace RlStudio.Data.Embedded;

/// <summary>How to run a private PostgreSQL cluster from the machine's server binaries.</summary>
public sealed record PostgresClusterOptions
{
    /// <summary>Folder that holds the cluster (<c>{DataDir}/pgdata</c>) and its log (<c>{DataDir}/postgres.log</c>). Created if missing.</summary>
    public required string DataDir { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Database created (if missing) after start.</summary>
    public string Database { get; init; } = "rlstudio";

    /// <summary>False turns off fsync and synchronous commit: fast, and only for throwaway test clusters.</summary>
    public bool Fsync { get; init; } = true;

    /// <summary>Folder with <c>initdb</c> and <c>pg_ctl</c>; null probes <c>/usr/lib/postgresql/*/bin</c> and <c>pg_config --bindir</c>.</summary>
    public string? BinDir { get; init; }
}
