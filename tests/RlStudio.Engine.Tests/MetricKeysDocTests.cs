using System.Reflection;

namespace RlStudio.Engine.Tests;

/// <summary>docs/algorithms.md explains every metric the engine logs.</summary>
public sealed class MetricKeysDocTests
{
    [Fact]
    public void AlgorithmsDoc_NamesEveryMetricKey()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "algorithms.md"));
        var constants = typeof(MetricKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        string[] templates =
        [
            MetricKeys.RewardFunctionMean("<function>"), MetricKeys.EvalPassAt1("<function>"),
            MetricKeys.EvalPassAtK("<function>"), MetricKeys.EvalSampledMean("<function>"),
        ];
        Assert.All(constants.Concat(templates), key => Assert.Contains($"`{key}`", doc));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RlStudio.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("RlStudio.sln not found above " + AppContext.BaseDirectory);
    }
}
