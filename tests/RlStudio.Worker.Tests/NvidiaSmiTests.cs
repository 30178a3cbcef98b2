using RlStudio.Worker.Hosting;

namespace RlStudio.Worker.Tests;

public sealed class NvidiaSmiTests
{
    [Fact]
    public void Parse_TwoGpus_NamesAndBytes()
    {
        var gpus = NvidiaSmi.Parse("NVIDIA H100 80GB HBM3, 81559\nNVIDIA A10G, 23028\n");
        Assert.Equal([new GpuInfo("NVIDIA H100 80GB HBM3", 81559L * 1024 * 1024), new GpuInfo("NVIDIA A10G", 23028L * 1024 * 1024)], gpus);
    }

    [Theory]
    [InlineData("")]
    [InlineData("No devices were found")]
    [InlineData("NVIDIA H100, [N/A]")]
    [InlineData(", 1024")]
    public void Parse_NothingUsable_IsEmpty(string output) => Assert.Empty(NvidiaSmi.Parse(output));
}
