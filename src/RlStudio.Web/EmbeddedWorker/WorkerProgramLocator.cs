using System.Diagnostics;
using System.Reflection;
using RlStudio.Web.Hosting;

namespace RlStudio.Web.EmbeddedWorker;

/// <summary>
/// Finds the worker program for the embedded mode. The web host never references the worker project (it would load
/// libtorch), so it uses the build output beside this checkout's sources, and builds it with the same configuration
/// when it is missing or older than any of its sources (the worker, engine and contracts projects, the root build
/// files), so a changed checkout never runs a stale worker.
/// </summary>
public static class WorkerProgramLocator
{
    private const string ProjectFolder = "src/RlStudio.Worker";
    private const string AssemblyFile = "RlStudio.Worker.dll";
    private static readonly string[] SourceFolders = ["src/RlStudio.Worker", "src/RlStudio.Engine", "src/RlStudio.Contracts"];

    public static async Task<string> LocateAsync(string configuredPath, string contentRoot, ILogger logger, CancellationToken cancellationToken)
    {
        if (configuredPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return File.Exists(configuredPath) ? Path.GetFullPath(configuredPath) : throw new FileNotFoundException("RlStudio:EmbeddedWorker:WorkerPath does not exist.", configuredPath);

        var root = RepositoryRoot.Find(contentRoot);
        var projectDir = configuredPath.Length > 0 ? Path.GetFullPath(configuredPath)
            : root is not null ? Path.Combine(root, ProjectFolder)
            : throw new InvalidOperationException($"Cannot find {ProjectFolder} above {contentRoot}; set RlStudio:EmbeddedWorker:WorkerPath to RlStudio.Worker.dll.");
        var configuration = typeof(WorkerProgramLocator).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(projectDir, "bin", configuration, "net10.0", AssemblyFile);
        if (File.Exists(dll) && (root is null || !SourcesNewerThan(root, File.GetLastWriteTimeUtc(dll)))) return dll;

        logger.LogInformation("Building the worker ({Configuration}) in {ProjectDir}", configuration, projectDir);
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", projectDir, "-c", configuration, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start dotnet build for the worker.");
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = build.StandardError.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0 || !File.Exists(dll))
            throw new InvalidOperationException($"Building the worker failed (exit {build.ExitCode}):\n{await output}{await errors}");
        return dll;
    }

    private static bool SourcesNewerThan(string root, DateTime builtAt) =>
        SourceFolders.Select(folder => Path.Combine(root, folder)).Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
            .Concat(Directory.EnumerateFiles(root, "Directory.*"))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)
                        || f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
            .Any(f => File.GetLastWriteTimeUtc(f) > builtAt);
}
