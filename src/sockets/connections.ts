/**
 * The hibernatable sockets of one Durable Object: accepting them with what each needs after a
 * wake (its attachment), the list to fan out to, sending to all but one, and closing someone's.
 * Shared by every object that holds sockets, so the bookkeeping and its caches exist once.
 */
import { completeClose } from "../http/close-handshake";

export class Connections<A> {
	/** Attachments decoded once per socket per wake, not once per frame. */
	private readonly attachments = new WeakMap<WebSocket, A>();
	/** The sockets to fan out to, asked of the runtime once per wake and again only after a socket opens or closes. */
	private cached: WebSocket[] | null = null;

	constructor(
		private readonly ctx: DurableObjectState,
		/** Reads an attachment back after a wake; null if it is not one. */
		private readonly parse: (raw: unknown) => A | null,
	) {}

	accept(ws: WebSocket, tags: string[], attachment: A): void {
		this.ctx.acceptWebSocket(ws, tags);
		ws.serializeAttachment(attachment);
		this.attachments.set(ws, attachment);
		this.cached = null;
	}

	attachmentOf(ws: WebSocket): A | null {
		const cached = this.attachments.get(ws);
		if (cached !== undefined) return cached;
		const parsed = this.parse(ws.deserializeAttachment());
		if (parsed !== null) this.attachments.set(ws, parsed);
		return parsed;
	}

	all(): WebSocket[] {
		this.cached ??= this.ctx.getWebSockets();
		return this.cached;
	}

	tagged(tag: string): WebSocket[] {
		return this.ctx.getWebSockets(tag);
	}

	/**
	 * The tags `ws` was accepted with; unlike anything in memory, they outlive a wake. Only for an
	 * open socket (`isOpen`): the runtime refuses to read those of one the object has closed.
	 */
	tagsOf(ws: WebSocket): string[] {
		return this.ctx.getTags(ws);
	}

	/** Whether any open socket but those in `except` is there to hear: if none, a frame for them need not be built. */
	anyOpenBut(...except: (WebSocket | undefined)[]): boolean {
		return this.all().some((ws) => isOpen(ws) && !except.includes(ws));
	}

	/** Sends one encoded frame to every socket but those in `except`. */
	broadcast(frame: string, ...except: (WebSocket | undefined)[]): void {
		for (const ws of this.all()) if (!except.includes(ws)) trySend(ws, frame);
	}

	/** Sends each socket the frame chosen for its attachment (null: nothing). */
	sendEach(frameFor: (attachment: A | null) => string | null): void {
		for (const ws of this.all()) {
			const frame = frameFor(this.attachmentOf(ws));
			if (frame !== null) trySend(ws, frame);
		}
	}

	/** Closes the sockets with `tag`, or every socket; `lastFrame` tells them why first. */
	close(tag: string | null, code: number, reason: string, lastFrame?: string): void {
		for (const ws of tag === null ? this.ctx.getWebSockets() : this.ctx.getWebSockets(tag)) {
			if (lastFrame !== undefined) trySend(ws, lastFrame);
			try {
				ws.close(code, reason);
			} catch {
				// Already closed.
			}
		}
		this.cached = null;
	}

	/** A socket closed or failed: the handshake is completed and the list asked for again. */
	closed(ws: WebSocket, code: number, reason: string): void {
		this.cached = null;
		completeClose(ws, code, reason);
	}
}

/**
 * Whether nobody has begun to close `ws`. The runtime lists a socket the object has closed until
 * its close is handled, so whoever asks who is online must not count it.
 */
export function isOpen(ws: WebSocket): boolean {
	return ws.readyState !== WebSocket.CLOSING && ws.readyState !== WebSocket.CLOSED;
}

export function trySend(ws: WebSocket, frame: string): void {
	try {
		ws.send(frame);
	} catch {
		// A socket that is closing misses live frames; its client resumes from its last seq.
	}
}
