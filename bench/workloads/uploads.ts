/**
 * W10, uploads (W6 until issue 16 named W6 the cost per chat): (1) a 20 MB file through the chat's file routes into R2 (start, four 5 MiB parts
 * and one more, complete), against the floor's one bare R2 put of the same bytes through its
 * Worker, in the same runtime; the targets take turns, one upload each. (2) The chat's message
 * latency while uploads run beside it: two sets of rooms, chatting as in W1 in alternating turns,
 * one set alone and the other while 20 MB uploads go on back to back; the floor does the same with
 * its bare puts, which shows what the local runtime itself does to messages beside R2 writes (its
 * R2 is simulated in the same workerd process, production's is a service of its own).
 */
import type { Tally } from "../ledger";
import type { Rooms } from "../rooms";
import { closeRooms, openRooms } from "../rooms";
import type { Summary } from "../stats";
import { summarize } from "../stats";
import type { Target, TargetName } from "../targets/target";
import { SteadyRun } from "./phase";

export interface UploadOptions {
	bytes: number;
	runs: number;
	rooms: number;
	participants: number;
	ratePerParticipant: number;
	/** Seconds of chat for each set of rooms, over all its turns. */
	seconds: number;
	turns: number;
}

export const W10: UploadOptions = { bytes: 20 * 1024 * 1024, runs: 6, rooms: 10, participants: 3, ratePerParticipant: 10, seconds: 10, turns: 10 };

export interface UploadResult {
	/** MB/s of each upload, and their median. */
	throughputs: number[];
	medianMBps: number;
	/** Messages with and without uploads beside them, on the same target. */
	beside: { without: Summary; with: Summary; uploads: number; tallies: Tally[] } | null;
}

/** A PDF's signature, then bytes no format recognises: a file the chat accepts as a PDF. */
function pdfOf(size: number): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(size);
	for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 17) % 251;
	bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
	return bytes;
}

const MB = 1024 * 1024;

export async function uploads(targets: Target[], options: UploadOptions): Promise<Partial<Record<TargetName, UploadResult>>> {
	const uploaders = targets.filter((t) => t.upload);
	const bytes = pdfOf(options.bytes);
	const times = new Map<TargetName, number[]>(uploaders.map((t) => [t.name, []]));
	for (let run = 0; run < options.runs; run++) {
		for (const target of uploaders) times.get(target.name)?.push(await (target.upload?.(bytes) ?? Promise.resolve(Number.NaN)));
	}
	const out: Partial<Record<TargetName, UploadResult>> = {};
	for (const target of uploaders) {
		const throughputs = (times.get(target.name) ?? []).map((ms) => options.bytes / MB / (ms / 1000));
		out[target.name] = { throughputs, medianMBps: summarize(throughputs).p50, beside: null };
	}
	for (const target of uploaders) {
		const result = out[target.name];
		if (result) result.beside = await besideUploads(target, bytes, options);
	}
	return out;
}

async function besideUploads(target: Target, bytes: Uint8Array<ArrayBuffer>, options: UploadOptions): Promise<NonNullable<UploadResult["beside"]>> {
	const sets: Rooms[] = [];
	try {
		for (let i = 0; i < 2; i++) sets.push(await openRooms(target, options.rooms, options.participants));
		const [quietRooms, busyRooms] = sets;
		if (!quietRooms || !busyRooms) throw new Error("rooms missing");
		const quiet = new SteadyRun(target, quietRooms.sockets, "w10-quiet");
		const busy = new SteadyRun(target, busyRooms.sockets, "w10-busy");
		const rateIn = options.rooms * options.participants * options.ratePerParticipant;
		const turnSeconds = options.seconds / options.turns;
		let uploaded = 0;
		for (let turn = 0; turn < options.turns; turn++) {
			await quiet.turn(rateIn, turnSeconds, 15_000);
			let going = true;
			const beside = (async () => {
				while (going) {
					await target.upload?.(bytes);
					uploaded += 1;
				}
			})();
			await busy.turn(rateIn, turnSeconds, 15_000);
			going = false;
			await beside;
		}
		return { without: quiet.result(rateIn).latency, with: busy.result(rateIn).latency, uploads: uploaded, tallies: [quiet.ledger.tally(), busy.ledger.tally()] };
	} finally {
		await Promise.all(sets.map(closeRooms));
	}
}
