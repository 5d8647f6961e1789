/**
 * The live queue from GET /api/queue/ws: the whole queue on connect and on every change. A
 * dropped connection is retried with growing pauses; each new connection starts with the whole
 * queue, so nothing is missed while it was down. Closed with 1008, the sign-in it came with was
 * ended (a sign-out everywhere, from another console): a retry would only be refused, 401.
 */
import { Reconnect } from "../../client/reconnect";
import type { QueueEntry } from "../../shared/queue";
import { CLIENT } from "../../shared/protocol";
import { parseQueueFrame } from "../../shared/queue";
import type { TransferOfferEntry } from "../../shared/transfer";
import { parseTransfersFrame } from "../../shared/transfer";

const KEEPALIVE_MS = 25_000;
const MAX_RETRY_MS = 15_000;
/** How the directory closes the queue sockets of a sign-in that was ended. */
const SIGNED_OUT = 1008;

export class QueueFeed {
	private socket: WebSocket | null = null;
	private readonly reconnect = new Reconnect(() => this.open(), 500, MAX_RETRY_MS);
	private stopped = false;
	private keepalive: ReturnType<typeof setInterval> | null = null;

	constructor(
		private readonly onQueue: (queue: QueueEntry[]) => void,
		/** Told when the feed is live and when it is not, and so whether the queue shown is current. */
		private readonly onLive: (live: boolean) => void,
		private readonly onSignedOut: () => void,
		/** The chats offered to this agent; each connection starts with none, its `transfers` frame follows if there are any. */
		private readonly onTransfers: (offers: TransferOfferEntry[]) => void = () => {},
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
		const url = new URL("/api/queue/ws", location.href);
		url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
		const socket = new WebSocket(url.toString());
		this.socket = socket;
		let first = true;
		socket.addEventListener("message", (event) => {
			const transfers = typeof event.data === "string" ? parseTransfersFrame(event.data) : null;
			if (transfers) return this.onTransfers(transfers.offers);
			const frame = typeof event.data === "string" ? parseQueueFrame(event.data) : null;
			if (!frame) return;
			if (first) this.onTransfers([]);
			first = false;
			this.reconnect.succeeded();
			this.onLive(true);
			this.onQueue(frame.queue);
		});
		socket.addEventListener("open", () => {
			// A ping at once: a socket whose client has sent something is released promptly when the directory closes it (a sign-out).
			const ping = () => socket.send(JSON.stringify({ type: CLIENT.ping }));
			ping();
			this.keepalive = setInterval(ping, KEEPALIVE_MS);
		});
		socket.addEventListener("close", (event) => {
			if (this.keepalive) clearInterval(this.keepalive);
			if (this.socket !== socket || this.stopped) return;
			this.socket = null;
			if (event.code === SIGNED_OUT) return this.onSignedOut();
			this.onLive(false);
			this.reconnect.schedule();
		});
	}
}
