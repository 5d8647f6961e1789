/**
 * One benchmark client: a WebSocket over loopback that checks what it receives. It follows the
 * sequence numbers (a jump is a gap, a number seen again is a repeat), counts how often each
 * message arrives by its clientId, and tells a listener the moment a message first arrives.
 * Every target is read with the same small schema, so that client-side cost is the same for all.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { z } from "zod";
import type { ClientFrame } from "../src/shared/protocol";
import { CLIENT, SERVER } from "../src/shared/protocol";
import { Waiters } from "../test/support/waiters";
import { PROBE } from "./floor-protocol";
import type { SocketAddress } from "./targets/target";

const EventSchema = z.object({ seq: z.number().int(), type: z.string(), clientId: z.string().optional() });
const FrameSchema = z.discriminatedUnion("type", [
	z.object({ type: z.literal(SERVER.state), state: z.object({ lastSeq: z.number().int() }) }),
	z.object({ type: z.literal(SERVER.events), events: z.array(EventSchema) }),
	z.object({ type: z.literal(SERVER.error), code: z.string(), clientId: z.string().optional() }),
	z.object({ type: z.literal(PROBE), instance: z.string() }),
]);

export interface DeliveryListener {
	/** A message reached `socket` for the first time, at `at` (performance.now()). */
	delivered(socket: BenchSocket, clientId: string, at: number): void;
	/** The server refused to take a message (the chat's flood limit). */
	refused(clientId: string): void;
}

export class BenchSocket {
	/** Highest sequence number received, starting from the `since` the socket was opened with. */
	lastSeq: number;
	/** The log's head when the socket opened, from the state frame. */
	headSeq = 0;
	/** Deliveries of each message, by clientId. */
	readonly counts = new Map<string, number>();
	/** Sequence numbers skipped, and sequence numbers received again. */
	gaps = 0;
	repeats = 0;
	/** Answer to the last probe (baselines only): which instance of the room's object answered. */
	instance: string | null = null;
	listener: DeliveryListener | null = null;
	private readonly waiters = new Waiters();
	private stateSeen = false;
	private closed = false;

	private constructor(
		private readonly ws: WebSocket,
		since: number,
	) {
		this.lastSeq = since;
	}

	/** Opens a socket and resolves once the server's state frame has arrived. */
	static open(to: SocketAddress, since: number, timeoutMs = 15_000): Promise<BenchSocket> {
		const address = new URL(to.url);
		address.searchParams.set("since", String(since));
		const ws = new WebSocket(address, to.protocols, { perMessageDeflate: false });
		const socket = new BenchSocket(ws, since);
		return new Promise((resolve, reject) => {
			let opened = false;
			const timer = setTimeout(() => fail(new Error(`no state frame from ${address.pathname} within ${timeoutMs} ms`)), timeoutMs);
			const fail = (error: Error) => {
				clearTimeout(timer);
				socket.waiters.clear();
				ws.terminate();
				reject(error);
			};
			ws.on("message", (data, isBinary) => {
				const at = performance.now();
				if (!isBinary) socket.receive(data.toString(), at);
				if (!opened && socket.stateSeen) {
					opened = true;
					clearTimeout(timer);
					resolve(socket);
				}
			});
			ws.on("unexpected-response", (_request, response) => fail(new Error(`upgrade refused: ${response.statusCode}`)));
			ws.on("error", (error) => {
				if (!opened) fail(error);
			});
			ws.on("close", (code) => {
				socket.closed = true;
				socket.waiters.wake();
				if (!opened) fail(new Error(`closed with ${code} before the state frame`));
			});
		});
	}

	/** Sends a chat message. */
	say(clientId: string, text: string): void {
		const frame: ClientFrame = { type: CLIENT.message, clientId, text };
		this.ws.send(JSON.stringify(frame));
	}

	/** Sends any client frame (typing, read, ping: what the pages send besides messages). */
	send(frame: ClientFrame): void {
		this.ws.send(JSON.stringify(frame));
	}

	/** Asks a baseline room which instance of its object answers. */
	probe(): Promise<string> {
		this.instance = null;
		this.ws.send(JSON.stringify({ type: PROBE }));
		return this.until(() => this.instance, "a probe reply");
	}

	/** Resolves once `test` holds; checked after every frame, never polled. */
	until<T>(test: () => T | null | false | undefined, what: string, timeoutMs = 15_000): Promise<T> {
		return this.waiters.until(test, what, timeoutMs, () => (this.closed ? "the socket closed" : null));
	}

	close(): Promise<void> {
		if (this.closed) return Promise.resolve();
		const done = new Promise<void>((resolve) => this.ws.once("close", () => resolve()));
		this.ws.close(1000, "bench done");
		return done;
	}

	private receive(raw: string, at: number): void {
		let json: unknown;
		try {
			json = JSON.parse(raw);
		} catch {
			return;
		}
		const parsed = FrameSchema.safeParse(json);
		if (!parsed.success) return; // presence, typing, acks: nothing the benchmark checks
		const frame = parsed.data;
		switch (frame.type) {
			case SERVER.state:
				this.headSeq = frame.state.lastSeq;
				this.stateSeen = true;
				break;
			case SERVER.events:
				for (const event of frame.events) this.accept(event.seq, event.type === CLIENT.message ? event.clientId : undefined, at);
				break;
			case SERVER.error:
				if (frame.clientId !== undefined) this.listener?.refused(frame.clientId);
				break;
			case PROBE:
				this.instance = frame.instance;
				break;
		}
		if (this.waiters.waiting) this.waiters.wake();
	}

	private accept(seq: number, clientId: string | undefined, at: number): void {
		if (seq <= this.lastSeq) this.repeats += 1;
		else {
			this.gaps += seq - this.lastSeq - 1;
			this.lastSeq = seq;
		}
		if (clientId === undefined) return;
		const count = (this.counts.get(clientId) ?? 0) + 1;
		this.counts.set(clientId, count);
		if (count === 1) this.listener?.delivered(this, clientId, at);
	}
}
