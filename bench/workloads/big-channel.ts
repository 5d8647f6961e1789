/**
 * W8, a big channel: one session with one agent and 21 others (until sessions have members, the
 * customer's devices, each admitted by the invite link; bench/targets/chat-target.ts), everyone
 * sending one message a second, each message fanned out to the 21 others. The floor gets a room
 * with as many sockets. Targets take turns of 2 s, as in W1.
 */
import type { Rooms } from "../rooms";
import { closeRooms, connectRooms } from "../rooms";
import type { Target, TargetName } from "../targets/target";
import type { PhaseResult } from "./phase";
import { SteadyRun, interleave } from "./phase";

export interface BigChannelOptions {
	/** Sockets in the room: the agent and everyone else. */
	size: number;
	ratePerParticipant: number;
	seconds: number;
	turns: number;
}

export const W8: BigChannelOptions = { size: 22, ratePerParticipant: 1, seconds: 10, turns: 5 };
export const W8_SMOKE: BigChannelOptions = { size: 22, ratePerParticipant: 1, seconds: 4, turns: 1 };

export async function bigChannel(targets: Target[], options: BigChannelOptions): Promise<Partial<Record<TargetName, PhaseResult>>> {
	const opened: Array<{ target: Target; rooms: Rooms }> = [];
	try {
		for (const target of targets) opened.push({ target, rooms: await connectRooms([await target.openChannel(options.size)]) });
		const runs = opened.map(({ target, rooms }) => new SteadyRun(target, rooms.sockets, "w8"));
		const rateIn = options.size * options.ratePerParticipant;
		await interleave(runs, rateIn, options.seconds, options.turns, 15_000);
		const out: Partial<Record<TargetName, PhaseResult>> = {};
		for (const run of runs) out[run.target.name] = run.result(rateIn);
		return out;
	} finally {
		await Promise.all(opened.map(({ rooms }) => closeRooms(rooms)));
	}
}
