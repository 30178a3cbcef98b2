using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace RlStudio.Data.Embedded;

/// <summary>
/// A private PostgreSQL cluster run from the machine's binaries: <c>initdb</c> when the data folder is new,
/// <c>pg_ctl start</c> on 127.0.0.1 (trust auth, user <c>postgres</c>), the database created if missing, and a
/// clean <c>pg_ctl stop -m fast</c> on <see cref="StopAsync"/>/<see cref="DisposeAsync"/>. PostgreSQL refuses
/// to run as root, so as root the binaries run through <c>runuser -u postgres --</c> on a folder owned by postgres.
/// Not thread safe: start and stop from one place.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly PostgresClusterOptions _options;
    private readonly string _binDir;
    private bool _running;

    private PostgresCluster(PostgresClusterOptions options, string binDir, int port)
    {
        _options = options;
        _binDir = binDir;
        Port = port;
    }

    public int Port { get; }

    public string ClusterDir => Path.Combine(_options.DataDir, "pgdata");

    public string LogFile => Path.Combine(_options.DataDir, "postgres.log");

    public string ConnectionString => ConnectionStringFor(_options.Database);

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = "postgres",
    }.ConnectionString;

    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions options, CancellationToken cancellationToken = default)
    {
        var cluster = new PostgresCluster(options, PostgresBinaries.Locate(options.BinDir), options.Port > 0 ? options.Port : FreePort());
        await cluster.InitAndStartAsync(cancellationToken);
        return cluster;
    }

    private async Task InitAndStartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.DataDir);
        var isNew = !File.Exists(Path.Combine(ClusterDir, "PG_VERSION"));
        Directory.CreateDirectory(ClusterDir);
        if (!File.Exists(LogFile))
        {
            await File.WriteAllTextAsync(LogFile, "", cancellationToken);
        }
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", ClusterDir, LogFile], asPostgres: false, cancellationToken);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ClusterDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (isNew)
        {
            await RunAsync(Bin("initdb"), ["-D", ClusterDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asPostgres: true, cancellationToken);
        }
        if (File.Exists(Path.Combine(ClusterDir, "postmaster.pid")))
        {
            // Left running by a process that died without stopping it: stop it so we start with our options.
            await TryRunAsync(Bin("pg_ctl"), ["-D", ClusterDir, "-m", "fast", "-w", "-t", "30", "stop"], cancellationToken);
        }
        var serverOptions = $"-c listen_addresses=127.0.0.1 -p {Port} -k {ClusterDir}";
        if (!_options.Fsync)
        {
            serverOptions += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }
        await RunAsync(Bin("pg_ctl"), ["-D", ClusterDir, "-l", LogFile, "-w", "-t", "60", "-o", serverOptions, "start"], asPostgres: true, cancellationToken);
        _running = true;
        await CreateDatabaseAsync(_options.Database, cancellationToken);
    }

    /// <summary>Creates <paramref name="database"/> unless it exists.</summary>
    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            var quoted = "\"" + database.Replace("\"", "\"\"") + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True when the server answers (<c>pg_ctl status</c>).</summary>
    public async Task<bool> IsServerRunningAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(Bin("pg_ctl"), ["-D", ClusterDir, "status"], asPostgres: true, cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the server again if it stopped on its own (crashed, killed) since <see cref="StartAsync"/>; PostgreSQL recovers
    /// from its WAL. True when it had to. Does nothing after <see cref="StopAsync"/>.
    /// </summary>
    public async Task<bool> EnsureRunningAsync(CancellationToken cancellationToken = default)
    {
        if (!_running || await IsServerRunningAsync(cancellationToken)) return false;
        NpgsqlConnection.ClearAllPools();
        await InitAndStartAsync(cancellationToken);
        return true;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_running)
        {
            return;
        }
        _running = false;
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Bin("pg_ctl"), ["-D", ClusterDir, "-m", "fast", "-w", "-t", "30", "stop"], asPostgres: true, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private string Bin(string name) => Path.Combine(_binDir, name);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot => (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && geteuid() == 0;

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();

    private static async Task TryRunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(fileName, arguments, asPostgres: true, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Not running after all (stale pid file): pg_ctl start copes with that.
        }
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres && IsRoot ? "runuser" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres && IsRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", fileName })
            {
                start.ArgumentList.Add(prefix);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
