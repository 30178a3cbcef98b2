// Overlays one metric of several runs in one uPlot chart (the Compare page). Histories come from one
// GET /api/runs/metrics?ids=A,B,…&keys=KEY&maxPoints=2000, downsampled on step buckets shared by all the runs; steps
// are merged into one x axis, a run with no point at a step leaves a gap. The view smooths each run's curve (EMA over its own points, gaps skipped) and can use a log10 y
// axis. Test hook: the container's data-series attribute = the number of runs drawn with points.

import { valueRange, logRange, smooth, forLogScale } from "./chartScales.js";

const MAX_POINTS = 2000;
const COLORS = ["#818cf8", "#22d3ee", "#f472b6", "#34d399", "#fbbf24", "#a78bfa", "#fb7185", "#60a5fa"];

async function fetchHistories(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    return response.json();
}

export async function draw(container, runs, key, view) {
    const smoothing = Math.min(Math.max(Number(view?.smoothing) || 0, 0), 0.99);
    const log = !!view?.log;
    const url = new URL(`api/runs/metrics?ids=${runs.map(r => r.id).join(",")}&keys=${encodeURIComponent(key)}&maxPoints=${MAX_POINTS}`, document.baseURI);
    const ticket = (container.drawTicket ?? 0) + 1;
    container.drawTicket = ticket;
    const body = runs.length === 0 ? { runs: [] } : await fetchHistories(url);
    if (container.drawTicket !== ticket) return; // a newer draw started while this one read: it wins
    const histories = runs.map(run => {
        const points = body.runs?.find(r => r.runId === run.id)?.series?.[0]?.points ?? [];
        return { run, byStep: new Map(points.map(p => [p.step, typeof p.value === "number" ? p.value : Number(p.value)])) };
    });
    const steps = [...new Set(histories.flatMap(h => [...h.byStep.keys()]))].sort((a, b) => a - b);
    const curve = h => {
        const raw = steps.map(s => { const v = h.byStep.get(s); return Number.isFinite(v) ? v : null; });
        return smooth(log ? forLogScale(raw) : raw, smoothing);
    };
    const data = [steps, ...histories.map(curve)];

    container.replaceChildren();
    const axis = { stroke: "#9ca3af", grid: { stroke: "rgba(255,255,255,0.06)", width: 1 }, ticks: { stroke: "rgba(255,255,255,0.12)", width: 1 } };
    new uPlot({
        width: Math.max(container.clientWidth, 300),
        height: 360,
        scales: { x: { time: false }, y: log ? { distr: 3, log: 10, range: logRange } : { range: valueRange } },
        series: [
            { label: "step" },
            ...histories.map((h, i) => ({ label: `${h.run.name} #${h.run.id}`, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true })),
        ],
        axes: [{ ...axis, label: "step", labelSize: 18 }, { ...axis, size: 60 }],
    }, data, container);
    container.dataset.series = String(histories.filter(h => h.byStep.size > 0).length);
    container.dataset.smoothing = String(smoothing);
    container.dataset.log = log ? "1" : "0";
}
