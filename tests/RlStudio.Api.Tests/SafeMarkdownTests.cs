using RlStudio.Web.Ui;

namespace RlStudio.Api.Tests;

/// <summary>What the labeling page renders from model and researcher text: Markdown yes, HTML and unsafe links no.</summary>
public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("https://example.org", true)]
    [InlineData("mailto:a@b.c", true)]
    [InlineData("/runs/1", true)]
    [InlineData("page#x:y", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" JavaScript :alert(1)", false)]
    [InlineData("java\tscript:alert(1)", false)]
    [InlineData("data:text/html,<script>", false)]
    [InlineData("vbscript:x", false)]
    public void IsSafe_AllowsWebAndRelativeAddressesOnly(string url, bool safe) => Assert.Equal(safe, SafeMarkdown.IsSafe(url));

    [Fact]
    public void Render_EscapesHtml_KeepsMarkdown_DropsUnsafeLinks()
    {
        var html = SafeMarkdown.Render("**b** <script>x()</script> <img src=x onerror=y> [a](javascript:z) <javascript:w> ![i](data:image/svg+xml,x)").Value;
        Assert.Contains("<strong>b</strong>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img src=\"x\"", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.DoesNotContain("data:image", html);
    }

    [Fact]
    public void TextDiff_MarksTheWordsOneSideLacks()
    {
        var (left, right) = TextDiff.Words("the sum is 42 today", "the sum is 43 today");
        Assert.Equal(["42"], left.Where(p => p.Changed).Select(p => p.Text.Trim()));
        Assert.Equal(["43"], right.Where(p => p.Changed).Select(p => p.Text.Trim()));
        Assert.Equal("the sum is 42 today", string.Concat(left.Select(p => p.Text)));
        Assert.Equal("the sum is 43 today", string.Concat(right.Select(p => p.Text)));
    }
}
