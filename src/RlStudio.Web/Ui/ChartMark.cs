namespace RlStudio.Web.Ui;

/// <summary>A step marked on a run's charts (a settings change took effect there), with a short label.</summary>
public sealed record ChartMark(int Step, string Label);
