using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;

namespace RlStudio.Web.Ui;

/// <summary>
/// Markdown written by models and researchers (responses, guidelines), rendered so that it cannot run or load anything:
/// raw HTML is shown as text, and a link or image whose address is not http(s), mailto or relative keeps its text but
/// loses its address. The rendered HTML goes into pages as a <see cref="MarkupString"/>.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    public static MarkupString Render(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown)) return new MarkupString("");
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url)) link.Url = "";
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url)) link.Url = "";
        }
        return new MarkupString(document.ToHtml(Pipeline));
    }

    /// <summary>Addresses a browser only navigates to or fetches: http(s), mailto, or relative (no scheme at all).</summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return true;
        var trimmed = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = trimmed.IndexOf(':');
        if (colon < 0) return true;
        var slash = trimmed.IndexOfAny(['/', '?', '#']);
        if (slash >= 0 && slash < colon) return true;
        var scheme = trimmed[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }
}
