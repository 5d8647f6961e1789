/**
 * W5, join storm: 100 end-users join within one second, each into its own session: the HTTP join,
 * then the WebSocket, until the state frame arrives. Sessions and support keys exist beforehand.
 * Each target meets several storms, in turns with the other targets.
 */
import { performance } from "node:perf_hooks";
import { BenchSocket } from "../client";
import { inPool, sleep } from "../pace";
import { serverCpuMs } from "../process-stats";
import type { Summary } from "../stats";
import { summarize } from "../stats";
import type { SocketAddress, Target, TargetName } from "../targets/target";

export interface JoinStormOptions {
	joins: number;
	withinMs: number;
	storms: number;
}

/** Two storms a run, three runs (bench/run.ts): 600 joins per target. */
export const W5: JoinStormOptions = { joins: 100, withinMs: 1000, storms: 2 };
export const W5_SMOKE: JoinStormOptions = { joins: 30, withinMs: 300, storms: 1 };

export interface JoinStormResult {
	joins: number;
	storms: number;
	/** Over the joins of every storm. */
	join: Summary;
	failures: string[];
	/** CPU time the server spent per join, WebSocket and state frame included. */
	serverCpuMsPerJoin: number;
}

type Join = () => Promise<SocketAddress>;

/** The untimed part: a session (or room) and its support key per join. */
export function prepareJoins(target: Target, count: number): Promise<Join[]> {
	return inPool(count, 8, () => target.prepareJoin());
}

interface Storms {
	target: Target;
	prepared: Join[][];
	times: number[];
	failures: string[];
	cpuMs: number;
}

/** The timed part: every join spread evenly over `withinMs`, each until its state frame. */
export async function storm(target: Target, joins: Join[], withinMs: number, times: number[], failures: string[]): Promise<number> {
	const cpuBefore = serverCpuMs(target.processes());
	const sockets: BenchSocket[] = [];
	const start = performance.now();
	await Promise.all(
		joins.map(async (join, i) => {
			await sleep(Math.max(0, start + (i * withinMs) / joins.length - performance.now()));
			const started = performance.now();
			try {
				const socket = await BenchSocket.open(await join(), 0);
				times.push(performance.now() - started);
				sockets.push(socket);
			} catch (error) {
				failures.push(error instanceof Error ? error.message : String(error));
			}
		}),
	);
	const cpuMs = serverCpuMs(target.processes()) - cpuBefore;
	await Promise.all(sockets.map((s) => s.close()));
	return cpuMs;
}

export async function joinStorm(targets: Target[], options: JoinStormOptions): Promise<Partial<Record<TargetName, JoinStormResult>>> {
	const all: Storms[] = [];
	for (const target of targets) {
		const prepared: Join[][] = [];
		for (let s = 0; s < options.storms; s++) prepared.push(await prepareJoins(target, options.joins));
		all.push({ target, prepared, times: [], failures: [], cpuMs: 0 });
	}
	for (let s = 0; s < options.storms; s++) {
		for (const storms of all) storms.cpuMs += await storm(storms.target, storms.prepared[s] ?? [], options.withinMs, storms.times, storms.failures);
	}
	const out: Partial<Record<TargetName, JoinStormResult>> = {};
	const total = options.joins * options.storms;
	for (const s of all) out[s.target.name] = { joins: total, storms: options.storms, join: summarize(s.times), failures: s.failures, serverCpuMsPerJoin: s.cpuMs / total };
	return out;
}
