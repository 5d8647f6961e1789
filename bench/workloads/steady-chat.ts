/**
 * W1, steady chat: 20 sessions of 3 participants, each sending 10 messages a second for 10 s
 * (600 messages/s in, 1,200 deliveries/s to others), in turns of 1 s per target. Before the
 * timed turns each target has one untimed turn at the same rate: the first messages a fresh
 * server handles run its code before the JIT has compiled it (the chat's first turn of a run
 * measured a p99 of 91 ms against 7–13 ms for the turns after it, 2026-12-02), and a chat in
 * steady state is not the start of a server. Afterwards a fresh client per session replays the
 * log from the start, to show that every accepted message was stored, once.
 */
import { BenchSocket } from "../client";
import type { Ledger } from "../ledger";
import type { Rooms } from "../rooms";
import { closeRooms, openRooms } from "../rooms";
import type { Target, TargetName } from "../targets/target";
import type { PhaseResult } from "./phase";
import { SteadyRun, interleave } from "./phase";

export interface SteadyOptions {
	rooms: number;
	participants: number;
	ratePerParticipant: number;
	seconds: number;
	turns: number;
}

export const W1: SteadyOptions = { rooms: 20, participants: 3, ratePerParticipant: 10, seconds: 10, turns: 10 };
export const W1_SMOKE: SteadyOptions = { rooms: 6, participants: 3, ratePerParticipant: 10, seconds: 3, turns: 1 };

export interface SteadyResult extends PhaseResult {
	/** Accepted messages found exactly once when each session's log is replayed from the start. */
	persisted: { expected: number; found: number };
}

async function replayedOnce(rooms: Rooms, ledger: Ledger): Promise<SteadyResult["persisted"]> {
	let expected = 0;
	let found = 0;
	for (const [i, addresses] of rooms.addresses.entries()) {
		const [address] = addresses;
		if (!address) continue;
		const reader = await BenchSocket.open(address, 0);
		await reader.until(() => reader.lastSeq >= reader.headSeq, "the whole log");
		for (const clientId of ledger.accepted(i)) {
			expected += 1;
			if (reader.counts.get(clientId) === 1) found += 1;
		}
		await reader.close();
	}
	return { expected, found };
}

export async function steadyChat(targets: Target[], options: SteadyOptions): Promise<Partial<Record<TargetName, SteadyResult>>> {
	const opened: Array<{ target: Target; rooms: Rooms }> = [];
	try {
		for (const target of targets) opened.push({ target, rooms: await openRooms(target, options.rooms, options.participants) });
		const rateIn = options.rooms * options.participants * options.ratePerParticipant;
		// Its messages are in the logs, but not in the ledger the figures and the replay check read.
		const warmUps = opened.map(({ target, rooms }) => new SteadyRun(target, rooms.sockets, "w1-warm-up"));
		await interleave(warmUps, rateIn, Math.min(1, options.seconds / options.turns), 1, 15_000);
		for (const warmUp of warmUps) {
			const { lost, duplicated } = warmUp.ledger.tally();
			if (lost + duplicated > 0) throw new Error(`${warmUp.target.name}'s warm-up turn lost ${lost} and duplicated ${duplicated} deliveries`);
		}
		const runs = opened.map(({ target, rooms }) => new SteadyRun(target, rooms.sockets, "w1"));
		await interleave(runs, rateIn, options.seconds, options.turns, 15_000);
		const out: Partial<Record<TargetName, SteadyResult>> = {};
		for (const [i, run] of runs.entries()) {
			const rooms = opened[i]?.rooms;
			if (rooms) out[run.target.name] = { ...run.result(rateIn), persisted: await replayedOnce(rooms, run.ledger) };
		}
		return out;
	} finally {
		await Promise.all(opened.map(({ rooms }) => closeRooms(rooms)));
	}
}
