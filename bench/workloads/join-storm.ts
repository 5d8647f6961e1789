/**
 * W5, join storm: 100 end-users join within one second, each into its own session, until the state
 * frame arrives: the chat's by the invite link on the join socket, as its page does; the floor by
 * HTTP, then the WebSocket. The chat's other way in, a typed support key (POST /api/join, then the
 * socket), meets storms of its own beside those, reported apart. Sessions, links and keys exist
 * beforehand. Each target meets several storms, in turns with the other targets.
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

/** A way in's storms, summed. */
export interface JoinFigures {
	/** Over the joins of every storm. */
	join: Summary;
	failures: string[];
	/** CPU time the server spent per join, WebSocket and state frame included. */
	serverCpuMsPerJoin: number;
}

export interface JoinStormResult extends JoinFigures {
	joins: number;
	storms: number;
	/** The chat's typed support key: HTTP join, then the socket. */
	byKey?: JoinFigures;
}

type Join = () => Promise<SocketAddress>;

/** The untimed part: a session (or room) and its invite link (or support key) per join. */
export function prepareJoins(count: number, prepare: () => Promise<Join>): Promise<Join[]> {
	return inPool(count, 8, prepare);
}

/** One way in of one target: its prepared storms, and what they measured. */
interface Way {
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

async function wayOf(target: Target, options: JoinStormOptions, prepare: () => Promise<Join>): Promise<Way> {
	const prepared: Join[][] = [];
	for (let s = 0; s < options.storms; s++) prepared.push(await prepareJoins(options.joins, prepare));
	return { target, prepared, times: [], failures: [], cpuMs: 0 };
}

function figuresOf(way: Way, joins: number): JoinFigures {
	return { join: summarize(way.times), failures: way.failures, serverCpuMsPerJoin: way.cpuMs / joins };
}

export async function joinStorm(targets: Target[], options: JoinStormOptions): Promise<Partial<Record<TargetName, JoinStormResult>>> {
	const ways: Array<{ main: Way; byKey: Way | null }> = [];
	for (const target of targets) {
		const byKey = target.prepareKeyJoin?.bind(target);
		ways.push({ main: await wayOf(target, options, () => target.prepareJoin()), byKey: byKey ? await wayOf(target, options, byKey) : null });
	}
	for (let s = 0; s < options.storms; s++) {
		for (const { main, byKey } of ways) {
			for (const way of byKey ? [main, byKey] : [main]) way.cpuMs += await storm(way.target, way.prepared[s] ?? [], options.withinMs, way.times, way.failures);
		}
	}
	const out: Partial<Record<TargetName, JoinStormResult>> = {};
	const total = options.joins * options.storms;
	for (const { main, byKey } of ways) {
		out[main.target.name] = { joins: total, storms: options.storms, ...figuresOf(main, total), ...(byKey ? { byKey: figuresOf(byKey, total) } : {}) };
	}
	return out;
}
