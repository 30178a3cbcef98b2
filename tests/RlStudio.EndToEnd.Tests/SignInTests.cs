using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RlStudio.Contracts.Accounts;

namespace RlStudio.EndToEnd.Tests;

/// <summary>Signing in as a person would: the sign-in page, a wrong password, the way back, sign-out, and a Labeler kept out.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SignInTests(PlatformFixture platform)
{
    [Fact]
    public async Task Visitor_SignsInAndOut_AndReturnsWhereTheyWere()
    {
        await using var context = await platform.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/datasets");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fdatasets$"));

        await page.GetByTestId("login-name").FillAsync(PlatformFixture.AdminName);
        await page.GetByTestId("login-password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Wrong name or password.");

        await page.GetByTestId("login-name").FillAsync(PlatformFixture.AdminName);
        await page.GetByTestId("login-password").FillAsync(PlatformFixture.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/datasets$"));
        await Assertions.Expect(page.GetByTestId("who-am-i")).ToContainTextAsync(PlatformFixture.AdminName);

        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync($"{platform.BaseUrl}/runs");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fruns$"));

        var failures = await platform.GetAsync<RlStudio.Contracts.Audit.AuditPage>("/api/audit?action=signin.failure&limit=500");
        Assert.Contains(failures.Entries, e => e.Actor == PlatformFixture.AdminName);
    }

    [Fact]
    public async Task Labeler_SeesNoResearchPages()
    {
        const string password = "labeler-password-0001";
        var name = $"labeler-{Guid.NewGuid():N}"[..16];
        using var created = await platform.Api.PostAsJsonAsync("/api/users", new CreateUserRequest(name, "Labeler", password));
        created.EnsureSuccessStatusCode();

        await using var context = await platform.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await platform.SignInAsync(page, name, password);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true })).ToHaveCountAsync(0);

        await page.GotoAsync($"{platform.BaseUrl}/runs");
        await Assertions.Expect(page.GetByTestId("not-allowed")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var api = await page.APIRequest.GetAsync($"{platform.BaseUrl}/api/runs");
        Assert.Equal(403, api.Status);
    }
}
