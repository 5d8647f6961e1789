/**
 * The books of one phase of a workload: every message sent, in which room, by whom and when; every
 * first arrival, with its send→receive time when it reached someone other than its sender; and at
 * the end, what each room's clients lost or received twice. Waiting for the end costs nothing per
 * frame: the ledger counts the deliveries still outstanding.
 */
import { performance } from "node:perf_hooks";
import type { BenchSocket, DeliveryListener } from "./client";

export interface Tally {
	sent: number;
	/** Refused by the server's flood limit: not expected anywhere. */
	refused: number;
	/** Deliveries that never happened: one per message and client of its room that lacks it. */
	lost: number;
	/** Deliveries that happened more than once: each extra copy counts. */
	duplicated: number;
	/** Sequence numbers skipped or received again, over the phase's sockets. */
	seqGaps: number;
	seqRepeats: number;
}

const TEXT = "Benchmark message: the printer in room 4 prints blank pages again";

export class Ledger implements DeliveryListener {
	/** send→receive times in ms, one per delivery to someone other than the sender. */
	readonly latencies: number[] = [];
	private readonly sent = new Map<string, { room: number; sender: BenchSocket; at: number }>();
	private readonly refusedIds = new Set<string>();
	private outstanding = 0;
	private count = 0;
	private onDrained: (() => void) | null = null;
	private readonly gapsBefore: number;
	private readonly repeatsBefore: number;

	constructor(
		private readonly prefix: string,
		private readonly rooms: BenchSocket[][],
	) {
		for (const room of rooms) for (const socket of room) socket.listener = this;
		this.gapsBefore = this.sockets().reduce((sum, s) => sum + s.gaps, 0);
		this.repeatsBefore = this.sockets().reduce((sum, s) => sum + s.repeats, 0);
	}

	/** Sends one message from participant `sender` of room `room`. */
	send(room: number, sender: number): void {
		const members = this.rooms[room];
		const socket = members?.[sender];
		if (!members || !socket) throw new Error(`no participant ${sender} in room ${room}`);
		const clientId = `${this.prefix}.${room}.${sender}.${this.count++}`;
		this.outstanding += members.length;
		const at = performance.now();
		this.sent.set(clientId, { room, sender: socket, at });
		socket.say(clientId, TEXT);
	}

	delivered(socket: BenchSocket, clientId: string, at: number): void {
		const sent = this.sent.get(clientId);
		if (!sent) return;
		if (socket !== sent.sender) this.latencies.push(at - sent.at);
		this.outstanding -= 1;
		if (this.outstanding === 0) this.onDrained?.();
	}

	refused(clientId: string): void {
		const sent = this.sent.get(clientId);
		if (!sent || this.refusedIds.has(clientId)) return;
		this.refusedIds.add(clientId);
		this.outstanding -= this.rooms[sent.room]?.length ?? 0;
		if (this.outstanding === 0) this.onDrained?.();
	}

	/** Resolves true once every message has reached every client in its room, false at the time limit. */
	drain(timeoutMs: number): Promise<boolean> {
		if (this.outstanding === 0) return Promise.resolve(true);
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.onDrained = null;
				resolve(false);
			}, timeoutMs);
			this.onDrained = () => {
				clearTimeout(timer);
				this.onDrained = null;
				resolve(true);
			};
		});
	}

	/** The clientIds sent to `room` and accepted by the server. */
	accepted(room: number): string[] {
		return [...this.sent].filter(([id, sent]) => sent.room === room && !this.refusedIds.has(id)).map(([id]) => id);
	}

	tally(): Tally {
		let lost = 0;
		let duplicated = 0;
		for (const [clientId, { room }] of this.sent) {
			if (this.refusedIds.has(clientId)) continue;
			for (const socket of this.rooms[room] ?? []) {
				const copies = socket.counts.get(clientId) ?? 0;
				if (copies === 0) lost += 1;
				else duplicated += copies - 1;
			}
		}
		const sockets = this.sockets();
		return {
			sent: this.sent.size,
			refused: this.refusedIds.size,
			lost,
			duplicated,
			seqGaps: sockets.reduce((sum, s) => sum + s.gaps, 0) - this.gapsBefore,
			seqRepeats: sockets.reduce((sum, s) => sum + s.repeats, 0) - this.repeatsBefore,
		};
	}

	private sockets(): BenchSocket[] {
		return this.rooms.flat();
	}
}
