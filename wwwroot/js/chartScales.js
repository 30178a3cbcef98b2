// How metric charts scale and smooth their values (the run page and the Compare page).
// valueRange: uPlot's padded range, except for a flat series (every value equal), which uPlot would stretch to
// 0..100; it gets a small band around its value instead. logRange: the same on a log10 axis.
// smooth: TensorBoard/W&B exponential moving average with debiasing, so the first points are not pulled to 0;
// weight 0 returns the values as they are, gaps (null) stay gaps and do not reset the average.
// forLogScale: non-positive values cannot be drawn on a log axis, so they become gaps.

export function valueRange(u, min, max) {
    if (min == null || max == null) return [0, 1];
    if (min === max) {
        const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
        return [min - pad, max + pad];
    }
    return uPlot.rangeNum(min, max, 0.1, true);
}

export function logRange(u, min, max) {
    if (min == null || max == null || !(min > 0)) return [0.1, 1];
    if (min === max) return [min / 2, max * 2];
    return uPlot.rangeLog(min, max, 10, true);
}

export function smooth(values, weight) {
    if (!(weight > 0)) return values.slice();
    const out = new Array(values.length);
    let last = 0, count = 0;
    for (let i = 0; i < values.length; i++) {
        const y = values[i];
        if (y == null || !Number.isFinite(y)) { out[i] = null; continue; }
        last = last * weight + (1 - weight) * y;
        count++;
        out[i] = last / (1 - Math.pow(weight, count));
    }
    return out;
}

export function forLogScale(values) {
    return values.map(y => (y != null && y > 0 ? y : null));
}
