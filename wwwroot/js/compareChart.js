// Overlays one metric of several runs in one uPlot chart (the Compare page). Histories come from
// GET /api/runs/{id}/metrics?keys=KEY&maxPoints=2000; steps are merged into one x axis, a run with no point at a
// step leaves a gap. Test hook: the container's data-series attribute = the number of runs drawn with points.

import { valueRange } from "./chartScales.js";

const MAX_POINTS = 2000;
const COLORS = ["#818cf8", "#22d3ee", "#f472b6", "#34d399", "#fbbf24", "#a78bfa", "#fb7185", "#60a5fa"];

export async function draw(container, runs, key) {
    const histories = await Promise.all(runs.map(async run => {
        const url = new URL(`api/runs/${run.id}/metrics?keys=${encodeURIComponent(key)}&maxPoints=${MAX_POINTS}`, document.baseURI);
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`run ${run.id}: ${response.status} ${response.statusText}`);
        const body = await response.json();
        const points = body.series?.[0]?.points ?? [];
        return { run, byStep: new Map(points.map(p => [p.step, typeof p.value === "number" ? p.value : Number(p.value)])) };
    }));
    const steps = [...new Set(histories.flatMap(h => [...h.byStep.keys()]))].sort((a, b) => a - b);
    const data = [steps, ...histories.map(h => steps.map(s => { const v = h.byStep.get(s); return Number.isFinite(v) ? v : null; }))];

    container.replaceChildren();
    const axis = { stroke: "#9ca3af", grid: { stroke: "rgba(255,255,255,0.06)", width: 1 }, ticks: { stroke: "rgba(255,255,255,0.12)", width: 1 } };
    new uPlot({
        width: Math.max(container.clientWidth, 300),
        height: 360,
        scales: { x: { time: false }, y: { range: valueRange } },
        series: [
            { label: "step" },
            ...histories.map((h, i) => ({ label: `${h.run.name} #${h.run.id}`, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true })),
        ],
        axes: [{ ...axis, label: "step", labelSize: 18 }, { ...axis, size: 60 }],
    }, data, container);
    container.dataset.series = String(histories.filter(h => h.byStep.size > 0).length);
}
