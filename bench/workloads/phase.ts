/**
 * Steady chat, open loop: every participant of every room sends at a fixed rate, whatever the
 * server answers. Targets take turns in short slices (floor, chat, ws, floor, chat, …), so that
 * whatever else the machine is doing meanwhile falls on all of them alike.
 */
import type { BenchSocket } from "../client";
import type { Tally } from "../ledger";
import { Ledger } from "../ledger";
import { paceEvenly } from "../pace";
import { proxyCpuMs, serverCpuMs } from "../process-stats";
import type { Summary } from "../stats";
import { summarize } from "../stats";
import type { Target } from "../targets/target";

export interface PhaseResult {
	/** Messages per second in, over all rooms, while the target's turn lasts. */
	rateIn: number;
	rooms: number;
	participants: number;
	/** Seconds of sending, over all the target's turns. */
	seconds: number;
	/** send→receive, over deliveries to everyone but the sender. */
	latency: Summary;
	/**
	 * The p99 of each turn on its own, and their median: one stall of the machine decides a p99
	 * over all turns, and lands in one turn only.
	 */
	p99PerTurn: number[];
	medianTurnP99: number;
	tally: Tally;
	/** Whether every accepted message reached every client before the time limit. */
	drained: boolean;
	/** CPU time the server spent per message sent, fan-out included. */
	serverCpuMsPerMessage: number;
	/** CPU time wrangler's development proxy spent per message; null for the ws baseline, which has none. */
	proxyCpuMsPerMessage: number | null;
}

/** One target's part of a phase: its rooms, and what its turns have sent and used so far. */
export class SteadyRun {
	readonly ledger: Ledger;
	private cpuMs = 0;
	private proxyMs = 0;
	private seconds = 0;
	private drained = true;
	private readonly p99PerTurn: number[] = [];

	constructor(
		readonly target: Target,
		private readonly rooms: BenchSocket[][],
		tag: string,
	) {
		this.ledger = new Ledger(`${tag}-${target.name}`, rooms);
	}

	/** One turn: `rateIn` messages a second for `seconds`, spread over every participant, then until all have arrived. */
	async turn(rateIn: number, seconds: number, drainMs: number): Promise<void> {
		const before = this.target.processes();
		const delivered = this.ledger.latencies.length;
		const senders = this.rooms.length * (this.rooms[0]?.length ?? 0);
		// Round robin over the rooms first, so that each room's senders are spread over the period.
		await paceEvenly(Math.round(rateIn * seconds), rateIn, (j) => {
			const sender = j % senders;
			this.ledger.send(sender % this.rooms.length, Math.floor(sender / this.rooms.length));
		});
		this.drained = (await this.ledger.drain(drainMs)) && this.drained;
		this.p99PerTurn.push(summarize(this.ledger.latencies.slice(delivered)).p99);
		const after = this.target.processes();
		this.cpuMs += serverCpuMs(after) - serverCpuMs(before);
		this.proxyMs += proxyCpuMs(after) - proxyCpuMs(before);
		this.seconds += seconds;
	}

	result(rateIn: number): PhaseResult {
		const tally = this.ledger.tally();
		return {
			rateIn,
			rooms: this.rooms.length,
			participants: this.rooms[0]?.length ?? 0,
			seconds: this.seconds,
			latency: summarize(this.ledger.latencies),
			p99PerTurn: this.p99PerTurn,
			medianTurnP99: summarize(this.p99PerTurn).p50,
			tally,
			drained: this.drained,
			serverCpuMsPerMessage: this.cpuMs / Math.max(1, tally.sent),
			proxyCpuMsPerMessage: this.target.processes().some((p) => p.role === "proxy") ? this.proxyMs / Math.max(1, tally.sent) : null,
		};
	}
}

/** Runs each target's part in turns: `turns` of `seconds / turns` each, targets alternating. */
export async function interleave(runs: SteadyRun[], rateIn: number, seconds: number, turns: number, drainMs: number): Promise<void> {
	for (let turn = 0; turn < turns; turn++) for (const run of runs) await run.turn(rateIn, seconds / turns, drainMs);
}
