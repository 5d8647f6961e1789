/**
 * W2, saturation: W1's shape (sessions of 3 participants) with the rate raised step by step until
 * p99 send→receive exceeds 100 ms. The chat lets one participant send 30 messages a second at most
 * (src/session/send-rate.ts, its flood limit), so no participant is asked for more than 20: above
 * 1,200 messages/s a step adds sessions instead. At each step the targets still holding take
 * turns, so that they meet the same background load; a target that fails a step gets one more
 * try at it straight away, so that a burst of other work on the machine does not end its climb.
 */
import type { Rooms } from "../rooms";
import { closeRooms, openRooms } from "../rooms";
import type { Target, TargetName } from "../targets/target";
import type { PhaseResult } from "./phase";
import { SteadyRun, interleave } from "./phase";

export interface SaturationOptions {
	/** Messages per second in, tried in this order until one fails. */
	steps: number[];
	secondsPerStep: number;
	turnsPerStep: number;
	p99LimitMs: number;
}

/** Steps of about 10% where the Durable Objects tip over here, so that "90% of the floor's" can be told apart. */
export const W2: SaturationOptions = { steps: [600, 900, 1200, 1400, 1600, 1800, 2000, 2200, 2400, 2600, 2800, 3000, 3200], secondsPerStep: 3, turnsPerStep: 3, p99LimitMs: 100 };

const PARTICIPANTS = 3;
const MIN_ROOMS = 20;
const MAX_RATE_PER_PARTICIPANT = 20;

export interface SaturationResult {
	steps: PhaseResult[];
	/** The highest rate that held p99 within the limit with nothing lost; null if none did. */
	maxRate: number | null;
	/** True if even the last step held: the target's limit lies beyond the ladder. */
	beyondLadder: boolean;
}

/** One target's way up the ladder. */
interface Climb {
	target: Target;
	rooms: Rooms;
	steps: PhaseResult[];
	maxRate: number | null;
	holding: boolean;
}

export function stepPasses(step: PhaseResult, p99LimitMs: number): boolean {
	return step.latency.p99 <= p99LimitMs && step.drained && step.tally.lost === 0 && step.tally.duplicated === 0 && step.tally.refused === 0;
}

export async function saturation(targets: Target[], options: SaturationOptions): Promise<Partial<Record<TargetName, SaturationResult>>> {
	const state: Climb[] = targets.map((target) => ({ target, rooms: { addresses: [], sockets: [] }, steps: [], maxRate: null, holding: true }));
	try {
		for (const rate of options.steps) {
			const holding = state.filter((s) => s.holding);
			if (holding.length === 0) break;
			const count = Math.max(MIN_ROOMS, Math.ceil(rate / (PARTICIPANTS * MAX_RATE_PER_PARTICIPANT)));
			for (const s of holding) {
				if (s.rooms.sockets.length >= count) continue;
				const more = await openRooms(s.target, count - s.rooms.sockets.length, PARTICIPANTS);
				s.rooms.addresses.push(...more.addresses);
				s.rooms.sockets.push(...more.sockets);
			}
			let trying = holding;
			for (let attempt = 0; attempt < 2 && trying.length > 0; attempt++) {
				const runs = trying.map((s) => new SteadyRun(s.target, s.rooms.sockets.slice(0, count), `w2-${rate}-${attempt}`));
				await interleave(runs, rate, options.secondsPerStep, options.turnsPerStep, 30_000);
				const failed: Climb[] = [];
				for (const [i, s] of trying.entries()) {
					const step = runs[i]?.result(rate);
					if (!step) continue;
					s.steps.push(step);
					if (stepPasses(step, options.p99LimitMs)) s.maxRate = rate;
					else failed.push(s);
				}
				trying = failed;
			}
			for (const s of trying) s.holding = false;
		}
	} finally {
		await Promise.all(state.map((s) => closeRooms(s.rooms)));
	}
	const out: Partial<Record<TargetName, SaturationResult>> = {};
	for (const s of state) out[s.target.name] = { steps: s.steps, maxRate: s.maxRate, beyondLadder: s.holding };
	return out;
}
