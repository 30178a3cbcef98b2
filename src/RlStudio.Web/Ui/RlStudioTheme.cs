using MudBlazor;

namespace RlStudio.Web.Ui;

/// <summary>The UI's dark theme: neutral slate surfaces, an indigo primary, system fonts (no web-font download).</summary>
public static class RlStudioTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#818cf8",
            Secondary = "#22d3ee",
            Tertiary = "#f472b6",
            Info = "#38bdf8",
            Success = "#34d399",
            Warning = "#fbbf24",
            Error = "#f87171",
            Dark = "#3f4456",
            Background = "#0f1117",
            BackgroundGray = "#151821",
            Surface = "#171a23",
            AppbarBackground = "#12141c",
            AppbarText = "#e5e7eb",
            DrawerBackground = "#12141c",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#9ca3af",
            ActionDefault = "#9ca3af",
            LinesDefault = "#262a36",
            TableLines = "#262a36",
            TableHover = "#1e2230",
            Divider = "#262a36",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Inter", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
