// Live metric charts of one run (uPlot, vendored global `uPlot` from wwwroot/lib/uplot/).
// mount(root, runId, view, groups, hidden, dotnet) builds a collapsible section (<details>) per metric group (the
// page's MetricGroups: held-out eval/… first, then reward/, policy/, loss/, completion/, optim/, perf/, the rest), moves
// the chart containers Blazor declared (elements with data-metric-key) into their sections, joins the run's hub group,
// loads the downsampled history of every metric from GET /api/runs/{id}/metrics?maxPoints=1000, then appends the
// MetricsAppended deltas pushed over SignalR (no polling). Points that arrive while the history loads are buffered and
// merged by step. A container stays hidden until its metric has a point, except the reward chart; metrics without a
// declared container (DPO margins, value loss, eval/…, perf/…) get one in their section when their first point arrives,
// after the declared ones, ordered by key. A section shows while one of its charts has a point and is not hidden by the
// user. The page hears of the keys with points (dotnet.OnMetricKeys) to offer them in its chooser; setHidden({groups,
// metrics}) hides the sections and charts the user left out (data-chosen="0"), without redrawing the others.
// The view (setView): EMA smoothing weight 0..0.99, drawn over the raw curve kept faint behind, and a log10 y axis.
// A downsampled history gives each bucket's min and max: the chart shades that band behind the line, so spikes
// hidden by downsampling stay visible. Dragging across a chart zooms it: the chart asks the server for that step range
// again (full detail when it is short enough) and draws it; a double click goes back to the whole history.
// Each delta is drawn at once, in the task that received it (the hub already coalesces pushes to a few per
// second per run), so data-points is current before any later message (e.g. a status change) is handled.
//
// Test hooks: every container's data-points attribute equals the number of points drawn in it, so the reward
// chart (data-testid="reward-chart") reports how many reward/mean points are on screen; data-smoothing and data-log
// give the view it is drawn with; data-zoom is "FROM-TO" while a chart shows a zoomed range re-read from the server
// (empty otherwise) and data-points then counts the points of that range. A section is
// data-testid="metric-group-{id}" with data-charts (its charts shown: with points, not hidden) and data-chosen; its <summary>
// data-testid="metric-group-toggle-{id}" collapses it; a chart's data-chosen is "0" while the user hides it.

import * as hub from "./liveHub.js";
import { valueRange, logRange, smooth, forLogScale } from "./chartScales.js";
import { drawStepMarks } from "./chartMarks.js";

const HISTORY_POINTS = 1000;
const HEIGHT = 220;
const COLORS = ["#818cf8", "#22d3ee", "#f472b6", "#34d399", "#fbbf24", "#a78bfa"];

export async function mount(root, runId, initialView, groups, initialHidden, dotnet) {
    let view = normalize(initialView);
    let marks = []; // { step, label }: steps where the run's settings changed, drawn on every chart
    const getMarks = () => marks;
    let hidden = normalizeHidden(initialHidden);
    const charts = new Map();
    const sections = new Map(); // group id → { el, grid, prefixes }
    for (const group of groups ?? [{ id: "other", title: "Metrics", prefixes: [] }]) {
        const el = document.createElement("details");
        el.className = "metric-group";
        el.open = true;
        el.hidden = true;
        el.dataset.group = group.id;
        el.dataset.testid = `metric-group-${group.id}`;
        el.dataset.charts = "0";
        el.innerHTML = `<summary data-testid="metric-group-toggle-${group.id}"><span class="metric-group-title"></span> <span class="muted metric-group-count"></span></summary><div class="run-charts-grid"></div>`;
        el.querySelector(".metric-group-title").textContent = group.title;
        root.appendChild(el);
        sections.set(group.id, { el, grid: el.querySelector(".run-charts-grid"), prefixes: group.prefixes ?? [] });
    }
    const fallback = [...sections.keys()].find(id => sections.get(id).prefixes.length === 0) ?? [...sections.keys()].pop();
    const groupOf = key => [...sections.entries()].find(([, s]) => s.prefixes.some(p => key.startsWith(p)))?.[0] ?? fallback;

    // The charts Blazor declared go first in their sections, in declared order.
    [...root.querySelectorAll(":scope > [data-metric-key]")].forEach((el, i) => {
        el.dataset.declared = "1";
        sections.get(groupOf(el.dataset.metricKey)).grid.appendChild(el);
        applyHidden(el);
        charts.set(el.dataset.metricKey, new Chart(el, COLORS[i % COLORS.length], view, zoomLoader, getMarks));
    });

    /** Where a new chart goes in its section: after the declared ones, in key order. */
    function insertionPoint(grid, key) {
        return [...grid.children].find(el => !el.dataset.declared && el.dataset.metricKey > key) ?? null;
    }

    /** The chart of a key, created in its section the first time the key is seen. */
    function chartFor(key) {
        let chart = charts.get(key);
        if (chart) return chart;
        const el = document.createElement("div");
        el.className = "run-chart";
        el.dataset.metricKey = key;
        el.dataset.points = "0";
        el.hidden = true;
        el.innerHTML = `<div class="run-chart-title"><span></span><span class="muted mono"></span></div><div class="run-chart-body"></div>`;
        el.querySelector(".run-chart-title span").textContent = key;
        el.querySelector(".run-chart-title .mono").textContent = key;
        const grid = sections.get(groupOf(key)).grid;
        grid.insertBefore(el, insertionPoint(grid, key));
        applyHidden(el);
        chart = new Chart(el, COLORS[charts.size % COLORS.length], view, zoomLoader, getMarks);
        charts.set(key, chart);
        return chart;
    }

    /** The user's choice on one chart container or section: data-chosen="0" hides it (CSS). */
    function applyHidden(el) {
        const chosen = el.dataset.metricKey ? !hidden.metrics.has(el.dataset.metricKey) : !hidden.groups.has(el.dataset.group);
        el.dataset.chosen = chosen ? "1" : "0";
    }

    let reportedKeys = "";
    /**
     * A section shows while one of its charts has a point and is not hidden by the user, with their count; the page hears
     * of new keys.
     */
    function refreshSections() {
        for (const { el, grid } of sections.values()) {
            const count = grid.querySelectorAll(":scope > [data-metric-key]:not([hidden]):not([data-chosen='0'])").length;
            el.hidden = count === 0;
            el.dataset.charts = String(count);
            el.querySelector(".metric-group-count").textContent = `(${count})`;
            applyHidden(el);
        }
        const keys = [...charts.keys()].filter(k => !charts.get(k).container.hidden).sort();
        if (dotnet && keys.join("\n") !== reportedKeys) {
            reportedKeys = keys.join("\n");
            dotnet.invokeMethodAsync("OnMetricKeys", keys).catch(() => { });
        }
    }
    /** A zoomed step range of one metric, re-read from the server (full detail when short enough). */
    async function zoomLoader(key, from, to) {
        const url = new URL(`api/runs/${runId}/metrics?keys=${encodeURIComponent(key)}&from=${from}&to=${to}&maxPoints=${HISTORY_POINTS}`, document.baseURI);
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
        return (await response.json()).series?.[0]?.points ?? [];
    }
    let buffer = []; // deltas received while history loads; null once loaded
    let disposed = false;

    const offMetrics = hub.on("MetricsAppended", (id, points) => {
        if (id !== runId) return;
        if (buffer) buffer.push(...points); else append(points);
    });
    const offReconnect = hub.onReconnected(() => loadHistory());
    refreshSections();
    await hub.joinRun(runId);
    await loadHistory();

    function append(points) {
        if (disposed) return;
        const touched = new Set();
        for (const p of points) {
            const chart = chartFor(p.key);
            chart.add(p.step, p.value);
            touched.add(chart);
        }
        for (const chart of touched) chart.draw();
        refreshSections();
    }

    async function loadHistory() {
        buffer = buffer ?? [];
        const url = new URL(`api/runs/${runId}/metrics?maxPoints=${HISTORY_POINTS}`, document.baseURI);
        try {
            const response = await fetch(url, { headers: { Accept: "application/json" } });
            if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
            const body = await response.json();
            if (disposed) return;
            for (const chart of charts.values()) chart.reset();
            for (const series of body.series ?? []) {
                const chart = chartFor(series.key);
                for (const p of series.points) chart.add(p.step, p.value, p.min, p.max);
            }
            for (const chart of charts.values()) chart.draw();
            refreshSections();
        } catch (e) {
            console.error("RL Studio: metric history failed to load", e);
        } finally {
            const pending = buffer;
            buffer = null;
            append(pending);
        }
    }

    return {
        setView: next => {
            view = normalize(next);
            for (const chart of charts.values()) chart.setView(view);
        },
        setHidden: next => {
            hidden = normalizeHidden(next);
            for (const chart of charts.values()) applyHidden(chart.container);
            refreshSections();
        },
        /** Marks these steps ({ step, label }) on every chart. */
        setMarks: next => {
            marks = next ?? [];
            root.dataset.marks = String(marks.length);
            for (const chart of charts.values()) chart.plot?.redraw(false, false);
        },
        dispose: async () => {
            disposed = true;
            offMetrics();
            offReconnect();
            for (const chart of charts.values()) chart.destroy();
            await hub.leaveRun(runId);
        },
    };
}

/** The sections and metrics the user hid, as sets. */
function normalizeHidden(hidden) {
    return { groups: new Set(hidden?.groups ?? []), metrics: new Set(hidden?.metrics ?? []) };
}

/** The view as drawn: smoothing clamped to 0..0.99, log a boolean. */
function normalize(view) {
    const smoothing = Math.min(Math.max(Number(view?.smoothing) || 0, 0), 0.99);
    return { smoothing, log: !!view?.log };
}

/** Axis labels that stay readable for tiny values (learning rates, KL): 1e-4 rather than 0. */
function formatTick(v) {
    if (v === 0) return "0";
    const a = Math.abs(v);
    return a < 1e-2 || a >= 1e6 ? v.toExponential(1) : v.toLocaleString(undefined, { maximumSignificantDigits: 4 });
}

function num(v) {
    return typeof v === "number" ? v : Number(v);
}

function finiteOrNull(v) {
    return Number.isFinite(v) ? v : null;
}

/** One metric's chart: sorted step/value arrays and a lazily created uPlot; add() then draw(). */
class Chart {
    constructor(container, color, view, loadRange, getMarks) {
        this.container = container;
        this.getMarks = getMarks;
        this.body = container.querySelector(".run-chart-body") ?? container;
        this.color = color;
        this.view = view;
        this.loadRange = loadRange;
        this.xs = [];
        this.ys = [];
        this.mins = []; // each point's bucket range (the value itself for a single point)
        this.maxs = [];
        this.zoom = null; // { from, to, xs, ys, mins, maxs } while zoomed
        this.plot = null;
        this.resize = new ResizeObserver(() => this.plot?.setSize(this.size()));
        this.resize.observe(this.body);
        if (!container.hidden) this.create();
    }

    add(step, raw, rawMin, rawMax) {
        const value = num(raw); // the hub writes NaN/Infinity as strings
        const y = Number.isFinite(value) ? value : null; // a gap in the line
        const lo = rawMin == null ? y : finiteOrNull(num(rawMin));
        const hi = rawMax == null ? y : finiteOrNull(num(rawMax));
        const xs = this.xs;
        if (xs.length === 0 || step > xs[xs.length - 1]) {
            xs.push(step); this.ys.push(y); this.mins.push(lo); this.maxs.push(hi);
        } else {
            let i = 0, j = xs.length; // first index with xs[i] >= step
            while (i < j) { const mid = (i + j) >> 1; if (xs[mid] < step) i = mid + 1; else j = mid; }
            if (xs[i] === step) { this.ys[i] = y; this.mins[i] = lo; this.maxs[i] = hi; } // idempotent by step: the latest value wins
            else { xs.splice(i, 0, step); this.ys.splice(i, 0, y); this.mins.splice(i, 0, lo); this.maxs.splice(i, 0, hi); }
        }
    }

    reset() {
        this.xs = [];
        this.ys = [];
        this.mins = [];
        this.maxs = [];
    }

    /** Re-reads [from, to] from the server and shows it; live points go on arriving into the whole history meanwhile. */
    async zoomTo(from, to) {
        const key = this.container.dataset.metricKey;
        try {
            const points = await this.loadRange(key, Math.max(0, Math.floor(from)), Math.ceil(to));
            const zoom = { from: Math.max(0, Math.floor(from)), to: Math.ceil(to), xs: [], ys: [], mins: [], maxs: [] };
            for (const p of points) {
                const y = finiteOrNull(num(p.value));
                zoom.xs.push(p.step); zoom.ys.push(y);
                zoom.mins.push(p.min == null ? y : finiteOrNull(num(p.min)));
                zoom.maxs.push(p.max == null ? y : finiteOrNull(num(p.max)));
            }
            this.zoom = zoom;
            this.draw();
        } catch (e) {
            console.error("RL Studio: zoomed range failed to load", e);
        }
    }

    unzoom() {
        if (!this.zoom) return;
        this.zoom = null;
        this.draw();
    }

    /** Redrawn from scratch: a log axis cannot be switched on a live uPlot. */
    setView(view) {
        this.view = view;
        if (this.plot) { this.plot.destroy(); this.plot = null; }
        this.draw();
    }

    /** [steps, raw, band min, band max] and, with smoothing, the smoothed curve; a log axis drops values ≤ 0. */
    data() {
        const shown = this.zoom ?? this;
        const scale = values => (this.view.log ? forLogScale(values) : values);
        const raw = scale(shown.ys);
        const data = [shown.xs, raw, scale(shown.mins), scale(shown.maxs)];
        return this.view.smoothing > 0 ? [...data, smooth(raw, this.view.smoothing)] : data;
    }

    draw() {
        if (this.xs.length > 0 && this.container.hidden) this.container.hidden = false;
        if (!this.plot && !this.container.hidden) this.create();
        this.plot?.setData(this.data());
        this.container.dataset.points = String(this.plot ? (this.zoom ?? this).xs.length : 0);
        this.container.dataset.zoom = this.zoom ? `${this.zoom.from}-${this.zoom.to}` : "";
        this.container.dataset.smoothing = String(this.view.smoothing);
        this.container.dataset.log = this.view.log ? "1" : "0";
    }

    size() {
        return { width: Math.max(this.body.clientWidth, 200), height: HEIGHT };
    }

    create() {
        const axis = {
            stroke: "#9ca3af",
            grid: { stroke: "rgba(255,255,255,0.06)", width: 1 },
            ticks: { stroke: "rgba(255,255,255,0.12)", width: 1 },
        };
        const smoothed = this.view.smoothing > 0;
        const key = this.container.dataset.metricKey;
        this.plot = new uPlot({
            ...this.size(),
            scales: { x: { time: false }, y: this.view.log ? { distr: 3, log: 10, range: logRange } : { range: valueRange } },
            legend: { show: true, live: true },
            cursor: { drag: { x: true, y: false, setScale: false } },
            series: [
                { label: "step" },
                // The raw curve: the line itself without smoothing, a faint trace behind the smoothed one with it.
                { label: smoothed ? "raw" : key, stroke: smoothed ? this.color + "40" : this.color, width: smoothed ? 1 : 2,
                  fill: smoothed ? undefined : this.color + "18", spanGaps: true },
                // The bucket band of a downsampled history (min..max), shaded between these two.
                { label: "min", stroke: "transparent", width: 0, points: { show: false }, spanGaps: true },
                { label: "max", stroke: "transparent", width: 0, points: { show: false }, spanGaps: true },
                ...(smoothed ? [{ label: `${key} (EMA ${this.view.smoothing})`, stroke: this.color, width: 2, spanGaps: true }] : []),
            ],
            bands: [{ series: [3, 2], fill: this.color + "30" }],
            hooks: {
                // A drag across the chart: re-read that step range from the server (uPlot has already zoomed the axis).
                setSelect: [u => {
                    if (u.select.width < 2) return;
                    const from = u.posToVal(u.select.left, "x"), to = u.posToVal(u.select.left + u.select.width, "x");
                    u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
                    this.zoomTo(from, to);
                }],
                ready: [u => u.over.addEventListener("dblclick", () => this.unzoom())],
                draw: [u => drawStepMarks(u, this.getMarks())],
            },
            axes: [{ ...axis, label: "step", labelSize: 18 }, { ...axis, size: 60, values: (u, ticks) => ticks.map(formatTick) }],
        }, this.data(), this.body);
    }

    destroy() {
        this.resize.disconnect();
        this.plot?.destroy();
        this.plot = null;
    }
}
