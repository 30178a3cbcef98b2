using RlStudio.Web.Ui;

namespace RlStudio.Api.Tests;

/// <summary>The run page's training speed and time left, from the step reports it sees.</summary>
public sealed class StepRateTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void RateAndTimeLeft_FromTheReportsInTheWindow()
    {
        var rate = new StepRate();
        rate.Observe(100, T0);
        Assert.Null(rate.StepsPerSecond);
        rate.Observe(120, T0.AddSeconds(10));

        Assert.Equal(2.0, rate.StepsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(40), rate.Remaining(120, 200));
        Assert.Equal("2.0 steps/s · ≈ 40s left", rate.Describe(120, 200));
    }

    [Fact]
    public void OldReportsLeaveTheWindow_AndAStepBackStartsOver()
    {
        var rate = new StepRate();
        rate.Observe(0, T0);
        rate.Observe(10, T0.AddSeconds(100)); // slow at first
        rate.Observe(110, T0.AddSeconds(110));
        rate.Observe(210, T0.AddSeconds(120));
        Assert.Equal(10.0, rate.StepsPerSecond); // only the last 60 s count

        rate.Observe(50, T0.AddSeconds(130)); // resumed from an earlier checkpoint
        Assert.Null(rate.StepsPerSecond);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(185, "3m 05s")]
    [InlineData(7620, "2h 07m")]
    public void Duration_IsShortAndReadable(int seconds, string expected) => Assert.Equal(expected, StepRate.Duration(TimeSpan.FromSeconds(seconds)));
}
