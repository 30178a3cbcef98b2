using Microsoft.Extensions.Options;
using RlStudio.Worker.Hosting;

namespace RlStudio.Worker.Tests;

/// <summary>A node reads and writes only under its model roots, with symbolic links resolved first.</summary>
public sealed class ModelRootGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rlstudio-roots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ModelRootGuard Guard(params string[] roots) => new(Options.Create(new WorkerOptions { ModelRoots = roots }));

    [Fact]
    public void Check_FolderUnderARoot_IsAllowed_EvenBeforeItExists()
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir, "models")).FullName;
        Assert.Equal(Path.Combine(root, "qwen", "new"), Guard(root).Check(Path.Combine(root, "qwen", "new")));
    }

    [Fact]
    public void Check_SymbolicLinkInsideARootPointingOut_IsRefusedNamingTheRoots()
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir, "models")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "secrets")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), outside);

        var refused = Assert.Throws<UnauthorizedAccessException>(() => Guard(root).Check(Path.Combine(root, "escape", "model")));
        Assert.Contains($"resolved: {Path.Combine(outside, "model")}", refused.Message);
        Assert.Contains(root, refused.Message);
    }

    [Fact]
    public void Check_RootThatIsALink_AllowsWhatItLeadsTo()
    {
        var real = Directory.CreateDirectory(Path.Combine(_dir, "disk", "models")).FullName;
        var link = Path.Combine(_dir, "models");
        Directory.CreateSymbolicLink(link, real);
        Assert.Equal(Path.Combine(real, "m"), Guard(link).Check(Path.Combine(link, "m")));
    }

    [Theory]
    [InlineData("relative/model")]
    [InlineData("/models/../etc")]
    [InlineData("/elsewhere")]
    public void Check_PathsThatAreNotUnderARoot_AreRefused(string path) =>
        Assert.Throws<UnauthorizedAccessException>(() => Guard("/models").Check(path));

    [Fact]
    public void Check_NoRoots_RefusesEverything() =>
        Assert.Throws<UnauthorizedAccessException>(() => Guard().Check("/models/x"));
}
