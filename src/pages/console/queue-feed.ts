/**
 * The live queue from GET /api/queue/ws: the whole queue on connect and on every change, over a
 * socket that comes back after a drop (live-socket.ts). Closed with 1008, the sign-in it came
 * with was ended (a sign-out everywhere, from another console): a retry would only be refused, 401.
 */
import type { QueueEntry } from "../../shared/queue";
import { parseQueueFrame } from "../../shared/queue";
import type { TransferOfferEntry } from "../../shared/transfer";
import { parseTransfersFrame } from "../../shared/transfer";
import { LiveSocket } from "./live-socket";

/** How the directory closes the queue sockets of a sign-in that was ended. */
const SIGNED_OUT = 1008;

export class QueueFeed {
	private readonly socket: LiveSocket;

	constructor(
		onQueue: (queue: QueueEntry[]) => void,
		/** Told when the feed is live and when it is not, and so whether the queue shown is current. */
		onLive: (live: boolean) => void,
		onSignedOut: () => void,
		/** The chats offered to this agent; each connection starts with none, its `transfers` frame follows if there are any. */
		onTransfers: (offers: TransferOfferEntry[]) => void = () => {},
	) {
		let first = true;
		this.socket = new LiveSocket("/api/queue/ws", {
			connecting: () => {
				first = true;
			},
			frame: (data) => {
				const transfers = parseTransfersFrame(data);
				if (transfers) {
					onTransfers(transfers.offers);
					return false;
				}
				const frame = parseQueueFrame(data);
				if (!frame) return false;
				if (first) onTransfers([]);
				first = false;
				onLive(true);
				onQueue(frame.queue);
				return true;
			},
			closed: (code) => {
				if (code === SIGNED_OUT) {
					onSignedOut();
					return false;
				}
				onLive(false);
				return true;
			},
		});
	}

	start(): void {
		this.socket.start();
	}

	stop(): void {
		this.socket.stop();
	}
}
