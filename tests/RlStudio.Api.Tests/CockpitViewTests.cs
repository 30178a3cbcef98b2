using RlStudio.Contracts.Runs;
using RlStudio.Web.Ui;

namespace RlStudio.Api.Tests;

/// <summary>
/// The cockpit's address state and texts: the runs list view read from and written to the query (defaults left out,
/// malformed values ignored), the chart sections a metric key falls in, and a bulk result as one line.
/// </summary>
public sealed class CockpitViewTests
{
    [Fact]
    public void RunsListView_RoundTripsThroughTheAddress_LeavingDefaultsOut()
    {
        var view = new RunsListView("grpo", "exp", RunStatus.Running, new RunListSort(RunSortField.Metric, "reward/mean", Descending: false), 3, 100,
            ["status", "created"], ["reward/mean", "policy/kl"]);
        var query = view.ToQuery();
        Assert.Equal("metric:reward/mean", query["sort"]);
        Assert.Equal("asc", query["order"]);
        Assert.Equal("status,created", query["cols"]);

        var back = RunsListView.FromQuery(query.ToDictionary(q => q.Key, q => (string?)q.Value));
        Assert.Equal((view.Search, view.Experiment, view.Status, view.Order, view.Page, view.PageSize), (back.Search, back.Experiment, back.Status, back.Order, back.Page, back.PageSize));
        Assert.Equal(view.ShownColumns, back.ShownColumns);
        Assert.Equal(view.ShownMetrics, back.ShownMetrics);

        Assert.All(new RunsListView().ToQuery().Values, Assert.Null);
        // A metric order in its natural direction (descending) needs no order= in the address.
        Assert.Null(new RunsListView(Sort: new RunListSort(RunSortField.Metric, "x", true)).ToQuery()["order"]);
    }

    [Fact]
    public void RunsListView_MalformedValuesFallBackToDefaults()
    {
        var view = RunsListView.FromQuery(new Dictionary<string, string?>
        {
            ["status"] = "Sleeping", ["sort"] = "size", ["page"] = "-2", ["size"] = "7", ["cols"] = "status,nonsense",
        });
        Assert.Null(view.Status);
        Assert.Equal(RunListSort.Default, view.Order);
        Assert.Equal((1, RunsListView.DefaultPageSize), (view.Page, view.PageSize));
        Assert.Equal(["status"], view.ShownColumns);
        Assert.Equal(RunsListView.DefaultMetrics, view.ShownMetrics);
        Assert.Empty(RunsListView.FromQuery(new Dictionary<string, string?> { ["metrics"] = "" }).ShownMetrics);
    }

    [Theory]
    [InlineData("eval/exact_match/pass@1", "eval")]
    [InlineData("reward/mean", "reward")]
    [InlineData("rewards/accuracy", "reward")]
    [InlineData("policy/kl", "policy")]
    [InlineData("loss/sft", "loss")]
    [InlineData("completion/mean_length", "completion")]
    [InlineData("optim/grad_norm", "optim")]
    [InlineData("perf/tokens_per_s", "perf")]
    [InlineData("train/loss", "other")]
    [InlineData("custom_score", "other")]
    public void MetricGroups_ByPrefix(string key, string group) => Assert.Equal(group, MetricGroups.Of(key).Id);

    [Fact]
    public void MetricPanelsView_KeepsKnownGroupsOnly()
    {
        var view = MetricPanelsView.FromQuery("perf,bogus", "policy/kl");
        Assert.Equal(["perf"], view.HiddenGroups);
        Assert.Equal("perf", view.ToQuery()["hide"]);
        Assert.True(view.WithGroup("perf", shown: true).WithMetric("policy/kl", shown: true).SameAs(MetricPanelsView.All));
    }

    [Fact]
    public void BulkRunSummary_CountsAndGivesEachReason()
    {
        var result = new BulkRunResult("cancel", [1, 2, 3], [new BulkRunSkip(7, "Run 7 is Succeeded; a finished run cannot be cancelled.")]);
        Assert.Equal("3 cancelled, 1 skipped — Run 7 is Succeeded; a finished run cannot be cancelled.", BulkRunSummary.Describe(result));
        Assert.Equal("2 tagged 'sweep'", BulkRunSummary.Describe(new BulkRunResult("tag", [1, 2], []), "sweep"));
    }
}
