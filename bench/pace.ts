/** Timing helpers for the load generator. */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Open loop: calls `fire(j)` for j = 0 … count-1 at start + j / ratePerSecond, whatever the server
 * does meanwhile, so that a slow server shows up as latency and never slows the senders down.
 */
export async function paceEvenly(count: number, ratePerSecond: number, fire: (j: number) => void): Promise<void> {
	const start = performance.now();
	const due = (j: number) => start + (j * 1000) / ratePerSecond;
	for (let j = 0; j < count; ) {
		while (j < count && due(j) <= performance.now()) fire(j++);
		if (j < count) await sleep(Math.max(1, due(j) - performance.now()));
	}
}

/** Runs `task(i)` for i = 0 … count-1, at most `concurrency` at a time, and returns the results in order. */
export async function inPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
	const results: T[] = new Array(count);
	let next = 0;
	const worker = async () => {
		for (let i = next++; i < count; i = next++) results[i] = await task(i);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return results;
}

export { sleep };
