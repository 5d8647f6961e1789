/**
 * The table's rows and how a figure is shown: in its unit and as a ratio to the platform floor (b).
 * A workload run several times (W1, W4, W5, W8: three runs, targets interleaved in each) shows the
 * median of its runs with their spread (min–max) beside it, and is judged on the median of the
 * chat's per-run ratios to the floor: each ratio compares two targets measured side by side.
 */
import type { TargetName } from "./targets/target";

export const TARGET_ORDER: TargetName[] = ["ws", "floor", "chat"];

export type PerTarget<T> = Partial<Record<TargetName, T>>;
/** One entry per run of a repeated workload. */
export type Runs<T> = Array<PerTarget<T>>;

export type Row = { workload: string; figure: string; cells: Partial<Record<TargetName, string>>; budget: string; pass: boolean | null };

export const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)) : "–");
export const ratio = (value: number, floor: number | undefined) => (floor && Number.isFinite(value) && floor > 0 ? ` (${(value / floor).toFixed(2)}×)` : "");
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** A figure per target, in its unit and as a ratio to the floor's. */
export function figureRow<T>(workload: string, figure: string, results: PerTarget<T> | undefined, pick: (r: T) => number, format: (v: number) => string, budget = "", pass: boolean | null = null): Row {
	const floorResult = results?.floor;
	const floor = floorResult === undefined ? undefined : pick(floorResult);
	const cells: Row["cells"] = {};
	for (const name of TARGET_ORDER) {
		const result = results?.[name];
		if (result !== undefined) cells[name] = `${format(pick(result))}${ratio(pick(result), floor)}`;
	}
	return { workload, figure, cells, budget, pass };
}

export function textRow<T>(workload: string, figure: string, results: PerTarget<T> | undefined, show: (r: T) => string, budget = "", pass: boolean | null = null): Row {
	const cells: Row["cells"] = {};
	for (const name of TARGET_ORDER) {
		const result = results?.[name];
		if (result !== undefined) cells[name] = show(result);
	}
	return { workload, figure, cells, budget, pass };
}

export function median(values: number[]): number {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The target's figure in every run it took part in. */
function perRun<T>(runs: Runs<T>, name: TargetName, pick: (r: T) => number): number[] {
	return runs.flatMap((run) => {
		const result = run[name];
		const value = result === undefined ? Number.NaN : pick(result);
		return Number.isFinite(value) ? [value] : [];
	});
}

/** The chat's (or any target's) ratio to the floor in each run where both ran. */
export function ratiosToFloor<T>(runs: Runs<T>, name: TargetName, pick: (r: T) => number): number[] {
	return runs.flatMap((run) => {
		const result = run[name];
		const floor = run.floor;
		if (result === undefined || floor === undefined) return [];
		const base = pick(floor);
		const value = pick(result) / base;
		return base > 0 && Number.isFinite(value) ? [value] : [];
	});
}

const spread = (values: number[], format: (v: number) => string) => (values.length > 1 ? ` [${format(Math.min(...values))}–${format(Math.max(...values))}]` : "");

/**
 * A figure of a repeated workload: per target the median of its runs [min–max], and the median of
 * its per-run ratios to the floor [min–max]. With `limit`, the chat passes if that median ratio is
 * at most `limit`.
 */
export function repeatedRow<T>(workload: string, figure: string, runs: Runs<T> | undefined, pick: (r: T) => number, format: (v: number) => string, limit?: number): Row {
	const cells: Row["cells"] = {};
	for (const name of TARGET_ORDER) {
		const values = runs ? perRun(runs, name, pick) : [];
		if (values.length === 0) continue;
		const ratios = name === "floor" || !runs ? [] : ratiosToFloor(runs, name, pick);
		const ratioCell = ratios.length > 0 ? ` (${median(ratios).toFixed(2)}×${spread(ratios, (v) => v.toFixed(2))})` : "";
		cells[name] = `${format(median(values))}${spread(values, format)}${ratioCell}`;
	}
	const chatRatios = runs && limit !== undefined ? ratiosToFloor(runs, "chat", pick) : [];
	const pass = limit === undefined ? null : chatRatios.length > 0 ? median(chatRatios) <= limit : null;
	return { workload, figure, cells, budget: limit === undefined ? "" : `≤ ${limit}× floor, median of runs`, pass };
}

/** True when `test` holds for the target in every run (null when it never ran). */
export function everyRun<T>(runs: Runs<T> | undefined, name: TargetName, test: (r: T) => boolean): boolean | null {
	const results = (runs ?? []).flatMap((run) => {
		const result = run[name];
		return result === undefined ? [] : [result];
	});
	return results.length === 0 ? null : results.every(test);
}

/** Each run's results for the target, shown one after another. */
export function runsRow<T>(workload: string, figure: string, runs: Runs<T> | undefined, show: (r: T) => string, budget = "", pass: boolean | null = null): Row {
	const cells: Row["cells"] = {};
	for (const name of TARGET_ORDER) {
		const shown = (runs ?? []).flatMap((run) => {
			const result = run[name];
			return result === undefined ? [] : [show(result)];
		});
		if (shown.length > 0) cells[name] = [...new Set(shown)].length === 1 ? (shown[0] ?? "") : shown.join("; ");
	}
	return { workload, figure, cells, budget, pass };
}
