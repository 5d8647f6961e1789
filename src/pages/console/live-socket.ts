/**
 * One of the console's live feeds (the queue, a team's router): a WebSocket to `path` that pings
 * at once and every 25 s, and comes back after a drop with growing pauses. Each new connection
 * starts with the whole picture again, so nothing is missed while it was down. The ping at once
 * matters: a socket whose client has sent something is released promptly when the server closes
 * it (a sign-out).
 */
import { Reconnect } from "../../client/reconnect";
import { CLIENT } from "../../shared/protocol";

const KEEPALIVE_MS = 25_000;
const MAX_RETRY_MS = 15_000;
const PING = JSON.stringify({ type: CLIENT.ping });

export interface LiveSocketEvents {
	/** A new connection is being made: what a feed keeps per connection starts again. */
	connecting?(): void;
	/** A text frame; true when it was the feed's picture, which proves the connection good. */
	frame(data: string): boolean;
	/** The connection closed without `stop()`; true to come back. */
	closed?(code: number): boolean;
}

export class LiveSocket {
	private socket: WebSocket | null = null;
	private readonly reconnect = new Reconnect(() => this.open(), 500, MAX_RETRY_MS);
	private stopped = false;
	private keepalive: ReturnType<typeof setInterval> | null = null;

	constructor(
		private readonly path: string,
		private readonly events: LiveSocketEvents,
	) {}

	start(): void {
		this.stopped = false;
		this.open();
	}

	stop(): void {
		this.stopped = true;
		this.reconnect.cancel();
		if (this.keepalive) clearInterval(this.keepalive);
		this.socket?.close(1000, "console closed");
		this.socket = null;
	}

	private open(): void {
		const url = new URL(this.path, location.href);
		url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
		const socket = new WebSocket(url.toString());
		this.socket = socket;
		this.events.connecting?.();
		socket.addEventListener("message", (event) => {
			if (typeof event.data === "string" && this.events.frame(event.data)) this.reconnect.succeeded();
		});
		socket.addEventListener("open", () => {
			socket.send(PING);
			this.keepalive = setInterval(() => socket.send(PING), KEEPALIVE_MS);
		});
		socket.addEventListener("close", (event) => {
			if (this.keepalive) clearInterval(this.keepalive);
			if (this.socket !== socket || this.stopped) return;
			this.socket = null;
			if (this.events.closed?.(event.code) ?? true) this.reconnect.schedule();
		});
	}
}
