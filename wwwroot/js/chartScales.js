// The y range of a metric chart: uPlot's padded range, except for a flat series (every value equal), which uPlot
// would stretch to 0..100; it gets a small band around its value instead.

export function valueRange(u, min, max) {
    if (min == null || max == null) return [0, 1];
    if (min === max) {
        const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
        return [min - pad, max + pad];
    }
    return uPlot.rangeNum(min, max, 0.1, true);
}
