// Step marks on a uPlot chart: a dashed vertical line and a short label at each step where something happened to the run
// (a settings change took effect), drawn in the chart's draw hook over the series.

/** Draws each mark ({ step, label }) inside the x range shown. */
export function drawStepMarks(u, marks) {
    if (!marks || marks.length === 0) return;
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const [min, max] = [u.scales.x.min, u.scales.x.max];
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.strokeStyle = "#f59e0b";
    ctx.fillStyle = "#f59e0b";
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.font = `${10 * devicePixelRatio}px sans-serif`;
    for (const mark of marks) {
        if (mark.step < min || mark.step > max) continue;
        const x = Math.round(u.valToPos(mark.step, "x", true));
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        if (mark.label) ctx.fillText(mark.label, x + 3 * devicePixelRatio, top + 10 * devicePixelRatio);
    }
    ctx.restore();
}
