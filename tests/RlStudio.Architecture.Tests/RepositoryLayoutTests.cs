using System.Diagnostics;

namespace RlStudio.Architecture.Tests;

/// <summary>The product's required layout and its compose file.</summary>
public sealed class RepositoryLayoutTests
{
    [Theory]
    [InlineData("src")]
    [InlineData("tests")]
    [InlineData("migrations")]
    [InlineData("wwwroot")]
    public void RequiredFolder_Exists(string folder) => Assert.True(Directory.Exists(RepositoryRoot.Combine(folder)), folder);

    [Theory]
    [InlineData("RlStudio.sln")]
    [InlineData("docker-compose.yml")]
    [InlineData("appsettings.json")]
    [InlineData("README.md")]
    [InlineData(".ci/run")]
    public void RequiredFile_Exists(string file) => Assert.True(File.Exists(RepositoryRoot.Combine(file)), file);

    [Fact]
    public void Solution_IsClassicSlnListingEveryProject()
    {
        var solution = File.ReadAllText(RepositoryRoot.Combine("RlStudio.sln"));
        Assert.Contains("Microsoft Visual Studio Solution File, Format Version 12.00", solution);
        var projects = Directory.GetFiles(RepositoryRoot.Combine("src"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RepositoryRoot.Combine("tests"), "*.csproj", SearchOption.AllDirectories));
        Assert.All(projects, p => Assert.Contains(Path.GetFileName(p), solution));
    }

    [Fact]
    public void Migrations_AreInTheTopLevelFolder()
    {
        Assert.NotEmpty(Directory.GetFiles(RepositoryRoot.Combine("migrations"), "*.cs", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DockerCompose_IsValidAndNamesTheServicesAndCudaSwitch()
    {
        var compose = RepositoryRoot.Combine("docker-compose.yml");
        var (missing, refusal) = await RunAsync("docker-compose", new Dictionary<string, string>(), "-f", compose, "config");
        Assert.True(missing != 0, "secrets must come from the environment: " + refusal);
        Assert.Contains("POSTGRES_PASSWORD", refusal);
        var secrets = new Dictionary<string, string>
        {
            ["POSTGRES_PASSWORD"] = "db-secret-from-env", ["RLSTUDIO_ADMIN_PASSWORD"] = "admin-secret-from-env",
            ["RLSTUDIO_WORKER_KEY"] = "rls_workerkeyfromtheenvironment01",
        };
        var (exitCode, output) = await RunAsync("docker-compose", secrets, "-f", compose, "config");
        Assert.True(exitCode == 0, output);
        Assert.Contains("db-secret-from-env", output);
        Assert.Contains("127.0.0.1", output);
        foreach (var service in new[] { "postgres:", "web:", "worker:" }) Assert.Contains(service, output);
        Assert.Contains("TORCH_DEVICE: cuda", output);
        Assert.Contains("driver: nvidia", output);
        Assert.Contains("capabilities:", output);

        var workerDockerfile = File.ReadAllText(RepositoryRoot.Combine("src", "RlStudio.Worker", "Dockerfile"));
        Assert.Contains("-p:TorchDevice=${TORCH_DEVICE}", workerDockerfile);
        var engineProject = File.ReadAllText(RepositoryRoot.Combine("src", "RlStudio.Engine", "RlStudio.Engine.csproj"));
        Assert.Contains("TorchSharp-cuda-linux", engineProject);
        Assert.Contains("'$(TorchDevice)' == 'cuda'", engineProject);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in new[] { "POSTGRES_PASSWORD", "RLSTUDIO_ADMIN_PASSWORD", "RLSTUDIO_WORKER_KEY", "RLSTUDIO_BIND" }) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
