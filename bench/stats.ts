/** Summaries of timings, in milliseconds. */

export interface Summary {
	count: number;
	p50: number;
	p99: number;
	max: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export function summarize(values: number[]): Summary {
	const sorted = Float64Array.from(values).sort();
	const list = Array.from(sorted);
	return { count: list.length, p50: percentile(list, 50), p99: percentile(list, 99), max: list.at(-1) ?? Number.NaN };
}
