/**
 * W4, resume: a participant leaves a session's socket, misses 1,000 events while ten others chat,
 * and reconnects with the last sequence number it saw. Timed from opening the socket to the
 * 1,000th event; each run checks that exactly the missed events arrived, once each, in order.
 * The targets take turns, one resume each.
 */
import { performance } from "node:perf_hooks";
import { BenchSocket } from "../client";
import type { Tally } from "../ledger";
import { Ledger } from "../ledger";
import { paceEvenly } from "../pace";
import type { Rooms } from "../rooms";
import { closeRooms, openRooms } from "../rooms";
import { summarize } from "../stats";
import type { Summary } from "../stats";
import type { SocketAddress, Target, TargetName } from "../targets/target";

export interface ResumeOptions {
	missed: number;
	senders: number;
	runs: number;
}

/**
 * 100 resumes a run, so that the p99 is a percentile: of 10, it was the slowest resume, which one
 * stall of the machine decided (2026-12-02). They cost little: the events are missed once.
 */
export const W4: ResumeOptions = { missed: 1000, senders: 10, runs: 100 };
export const W4_SMOKE: ResumeOptions = { missed: 300, senders: 10, runs: 2 };

/**
 * Per sender: sent at once (within the chat's burst of 60), then at 25 a second (under its 30).
 * 40 rather than 50 at once: on a loaded machine the paced messages that follow can reach the
 * object in a bunch, and with 50 spent the bucket then refused a few (2026-12-01).
 */
const BURST = 40;
const RATE_PER_SENDER = 25;

export interface ResumeResult {
	missed: number;
	resume: Summary;
	/** Runs in which exactly the missed events arrived, once each, gap-free and in order. */
	exact: number;
	runs: number;
	/** How the events to be missed reached the participants who stayed. */
	live: Tally;
}

interface Absence {
	target: Target;
	rooms: Rooms;
	address: SocketAddress;
	lastSeen: number;
	missedIds: string[];
	live: Tally;
	times: number[];
	exact: number;
}

/** Opens the room, takes the participant away and has the others send what it will miss. */
async function missEvents(target: Target, options: ResumeOptions): Promise<Absence> {
	const rooms = await openRooms(target, 1, options.senders + 1);
	const [away, ...present] = rooms.sockets[0] ?? [];
	const address = rooms.addresses[0]?.[0];
	if (!away || !address) throw new Error("the resume room has no participants");
	const lastSeen = away.lastSeq;
	await away.close();

	const ledger = new Ledger(`w4-${target.name}`, [present]);
	const burst = Math.min(options.missed, BURST * options.senders);
	for (let j = 0; j < burst; j++) ledger.send(0, j % options.senders);
	await paceEvenly(options.missed - burst, RATE_PER_SENDER * options.senders, (j) => ledger.send(0, j % options.senders));
	// Whatever went wrong here shows in `live`, and no resume can then be exact.
	await ledger.drain(30_000);
	return { target, rooms, address, lastSeen, missedIds: ledger.accepted(0), live: ledger.tally(), times: [], exact: 0 };
}

async function resumeOnce(absence: Absence, missed: number): Promise<void> {
	const started = performance.now();
	const back = await BenchSocket.open(absence.address, absence.lastSeen);
	try {
		await back.until(() => back.lastSeq >= absence.lastSeen + missed, `${missed} missed events`);
		absence.times.push(performance.now() - started);
	} catch {
		// Not all arrived: the run is not exact, and has no time.
	}
	const once = absence.missedIds.every((clientId) => back.counts.get(clientId) === 1);
	if (once && absence.missedIds.length === missed && back.counts.size === missed && back.gaps === 0 && back.repeats === 0) absence.exact += 1;
	await back.close();
}

export async function resume(targets: Target[], options: ResumeOptions): Promise<Partial<Record<TargetName, ResumeResult>>> {
	const absences: Absence[] = [];
	try {
		for (const target of targets) absences.push(await missEvents(target, options));
		for (let run = 0; run < options.runs; run++) for (const absence of absences) await resumeOnce(absence, options.missed);
		const out: Partial<Record<TargetName, ResumeResult>> = {};
		for (const a of absences) out[a.target.name] = { missed: options.missed, resume: summarize(a.times), exact: a.exact, runs: options.runs, live: a.live };
		return out;
	} finally {
		await Promise.all(absences.map((a) => closeRooms(a.rooms)));
	}
}
