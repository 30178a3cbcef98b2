using System.Diagnostics;
using System.Reflection;

namespace RlStudio.Web.EmbeddedWorker;

/// <summary>
/// Finds the worker program for the embedded mode. The web host never references the worker project
/// (it would load libtorch), so it looks for the build output beside this repo's sources and builds it
/// with the same configuration when it is missing.
/// </summary>
public static class WorkerProgramLocator
{
    private const string ProjectFolder = "src/RlStudio.Worker";
    private const string AssemblyFile = "RlStudio.Worker.dll";

    public static async Task<string> LocateAsync(string configuredPath, string contentRoot, ILogger logger, CancellationToken cancellationToken)
    {
        if (configuredPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return File.Exists(configuredPath) ? Path.GetFullPath(configuredPath) : throw new FileNotFoundException("RlStudio:EmbeddedWorker:WorkerPath does not exist.", configuredPath);

        var projectDir = configuredPath.Length > 0 ? Path.GetFullPath(configuredPath) : FindProjectFolder(contentRoot)
            ?? throw new InvalidOperationException($"Cannot find {ProjectFolder} above {contentRoot}; set RlStudio:EmbeddedWorker:WorkerPath to RlStudio.Worker.dll.");
        var configuration = typeof(WorkerProgramLocator).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(projectDir, "bin", configuration, "net10.0", AssemblyFile);
        if (File.Exists(dll)) return dll;

        logger.LogInformation("Building the worker ({Configuration}) in {ProjectDir}", configuration, projectDir);
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", projectDir, "-c", configuration, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start dotnet build for the worker.");
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0 || !File.Exists(dll))
            throw new InvalidOperationException($"Building the worker failed (exit {build.ExitCode}):\n{await output}");
        return dll;
    }

    private static string? FindProjectFolder(string start)
    {
        foreach (var origin in new[] { start, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ProjectFolder);
                if (File.Exists(Path.Combine(candidate, "RlStudio.Worker.csproj"))) return candidate;
            }
        }
        return null;
    }
}
