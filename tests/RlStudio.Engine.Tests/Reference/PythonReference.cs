using System.Diagnostics;

namespace RlStudio.Engine.Tests.Reference;

/// <summary>
/// Runs a script of <c>tests/reference/</c> with Debian's interpreter, which has PyTorch (<c>apt-get install python3-torch</c>;
/// build/test.sh installs it). A missing interpreter or torch fails the test with that advice; it never skips.
/// </summary>
internal static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    public static string RepositoryRoot { get; } = FindRoot();

    public static void Run(string script, string folder)
    {
        var path = Path.Combine(RepositoryRoot, "tests", "reference", script);
        if (!File.Exists(Interpreter))
            Assert.Fail($"{Interpreter} is missing: the parity tests need Debian's python3 with PyTorch (apt-get install python3-torch).");
        var (code, output) = Execute(path, folder);
        if (code != 0 && output.Contains("No module named 'torch'", StringComparison.Ordinal))
            Assert.Fail($"{Interpreter} has no PyTorch: install it with `apt-get install python3-torch` (build/test.sh does this as root).");
        if (code != 0) Assert.Fail($"{script} exited with {code}:\n{output}");
    }

    private static (int Code, string Output) Execute(string script, string folder)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(folder);
        start.Environment["OMP_NUM_THREADS"] = "1";                    // tiny tensors; do not fight the test host for cores
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
            Assert.Fail($"{Path.GetFileName(script)} did not finish within 3 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RlStudio.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No RlStudio.sln above {AppContext.BaseDirectory}.");
    }
}
