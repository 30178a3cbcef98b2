using Microsoft.Playwright;

namespace RlStudio.EndToEnd.Tests;

/// <summary>Full-page screenshots of what a test saw, under the test output (<c>screenshots/{name}.png</c>).</summary>
internal static class Screenshots
{
    public static Task SaveAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return page.ScreenshotAsync(new() { Path = Path.Combine(folder, name.EndsWith(".png", StringComparison.Ordinal) ? name : $"{name}.png"), FullPage = true });
    }
}
