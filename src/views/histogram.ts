import type { HistogramBucket } from "../domain/metrics";

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 24, right: 12, bottom: 40, left: 12 };

/** `<250 ms`, `1–1.5 s`, `≥10 s`. */
export function bucketLabel(bucket: HistogramBucket): string {
  const fmt = (ms: number) => (ms < 1000 ? `${ms}` : `${ms / 1000}`);
  const unit = (ms: number) => (ms < 1000 ? "ms" : "s");
  if (bucket.fromMs === 0 && bucket.toMs !== null) return `<${fmt(bucket.toMs)} ${unit(bucket.toMs)}`;
  if (bucket.toMs === null) return `≥${fmt(bucket.fromMs)} ${unit(bucket.fromMs)}`;
  if (bucket.fromMs < 1000 && bucket.toMs >= 1000) return `${bucket.fromMs} ms–${fmt(bucket.toMs)} s`;
  return `${fmt(bucket.fromMs)}–${fmt(bucket.toMs)} ${unit(bucket.toMs)}`;
}

/**
 * The booking latency histogram as inline SVG (no script, no external assets). Bars at or above the p95
 * threshold are drawn in the warning colour, so slow bookings stand out at a glance.
 */
export function histogramSvg(buckets: readonly HistogramBucket[], slowFromMs: number): string {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(4, slot * 0.7);
  const bars = buckets.map((bucket, i) => {
    const height = Math.round((bucket.count / max) * plotHeight);
    const x = Math.round(MARGIN.left + i * slot + (slot - barWidth) / 2);
    const y = MARGIN.top + plotHeight - height;
    const centre = Math.round(MARGIN.left + i * slot + slot / 2);
    const slow = bucket.fromMs >= slowFromMs;
    const label = bucketLabel(bucket);
    return [
      `<rect class="bar${slow ? " slow" : ""}" data-count="${bucket.count}" x="${x}" y="${y}" width="${Math.round(barWidth)}" height="${height}" fill="${slow ? "#d9822b" : "#2b6cb0"}"><title>${label}: ${bucket.count}</title></rect>`,
      `<text x="${centre}" y="${y - 6}" text-anchor="middle" font-size="12" fill="#333">${bucket.count}</text>`,
      `<text x="${centre}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11" fill="#555">${label}</text>`,
    ].join("");
  });
  const axisY = MARGIN.top + plotHeight;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="latency-histogram" role="img" aria-label="Booking duration histogram" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">` +
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>` +
    `<line x1="${MARGIN.left}" y1="${axisY}" x2="${WIDTH - MARGIN.right}" y2="${axisY}" stroke="#999"/>` +
    bars.join("") +
    `</svg>`
  );
}
