using System.Text.Json;
using System.Xml.Linq;

namespace RlStudio.Architecture.Tests;

/// <summary>
/// Dependencies flow one way: Web → Data → Contracts ← Worker → Engine → TorchSharp, and Web and Engine → Environments
/// (plain .NET: the web validates task datasets with them). The engine knows nothing of the web, EF Core or Hangfire;
/// the web host never loads TorchSharp.
/// </summary>
public sealed class ProjectDependencyTests
{
    private static readonly Dictionary<string, string[]> AllowedProjectReferences = new()
    {
        ["RlStudio.Contracts"] = [],
        ["RlStudio.Environments"] = [],
        ["RlStudio.Engine"] = ["RlStudio.Environments"],
        ["RlStudio.Data"] = ["RlStudio.Contracts"],
        ["RlStudio.Worker"] = ["RlStudio.Contracts", "RlStudio.Engine"],
        ["RlStudio.Web"] = ["RlStudio.Contracts", "RlStudio.Data", "RlStudio.Environments"],
        // The engine benchmarks; the store benchmark starts its own PostgreSQL (Data) and runs the web host as a process.
        ["RlStudio.Bench"] = ["RlStudio.Engine", "RlStudio.Contracts", "RlStudio.Data"],
    };

    [Fact]
    public void SourceProjects_ReferenceOnlyAllowedProjects()
    {
        foreach (var project in Directory.GetFiles(RepositoryRoot.Combine("src"), "*.csproj", SearchOption.AllDirectories))
        {
            var name = Path.GetFileNameWithoutExtension(project);
            Assert.True(AllowedProjectReferences.TryGetValue(name, out var allowed), $"{name} is not in the architecture's dependency rules");
            var references = ProjectReferences(project);
            Assert.True(references.All(allowed.Contains), $"{name} references {string.Join(", ", references.Except(allowed))}, which the architecture forbids.");
        }
    }

    [Fact]
    public void Engine_ReferencesNoWebDatabaseOrJobPackages()
    {
        var packages = PackageReferences(RepositoryRoot.Combine("src", "RlStudio.Engine", "RlStudio.Engine.csproj"));
        Assert.NotEmpty(packages);
        Assert.All(packages, package => Assert.StartsWith("TorchSharp", package));
        Assert.Equal(["RlStudio.Environments"], ProjectReferences(RepositoryRoot.Combine("src", "RlStudio.Engine", "RlStudio.Engine.csproj")));
        Assert.Empty(PackageReferences(RepositoryRoot.Combine("src", "RlStudio.Environments", "RlStudio.Environments.csproj")));
        Assert.Empty(ProjectReferences(RepositoryRoot.Combine("src", "RlStudio.Environments", "RlStudio.Environments.csproj")));
    }

    [Fact]
    public void WebHost_DependencyClosureHasNoTorchSharp()
    {
        // This test project references the web host (and not the engine), so its dependency closure is the web's.
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "RlStudio.Architecture.Tests.deps.json"));
        using var document = JsonDocument.Parse(deps);
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToArray();
        Assert.Contains(libraries, l => l.StartsWith("RlStudio.Web/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => l.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase) || l.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || l.StartsWith("RlStudio.Engine/", StringComparison.Ordinal));
    }

    [Fact]
    public void Contracts_AssemblyReferencesOnlyTheFramework()
    {
        var references = typeof(RlStudio.Contracts.Runs.RunSpec).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", $"Contracts references {name}"));
    }

    private static string[] ProjectReferences(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToArray();

    private static string[] PackageReferences(string project) =>
        XDocument.Load(project).Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToArray();
}
