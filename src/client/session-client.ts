/**
 * A typed client for one chat session, for the browser pages and for Node 22 (global WebSocket).
 * It keeps the last sequence number it has seen and resumes from it after a drop, so the
 * application sees every event once and in order; it resends unacknowledged messages with their
 * original ids, which the session never stores twice.
 */
import type { Joined } from "../shared/api";
import type { ClientFrame, ServerFrame, SessionEvent, SessionState } from "../shared/protocol";
import { CLIENT, isFinished, parseServerFrame, statusAfterEnd } from "../shared/protocol";
import { socketProtocols } from "../shared/socket-auth";
import { Reconnect } from "./reconnect";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export type ClientUpdate =
	| { type: "connection"; status: ConnectionStatus }
	| { type: "state"; state: SessionState }
	| { type: "event"; event: SessionEvent }
	| Exclude<ServerFrame, { type: "state" } | { type: "events" } | { type: "pong" } | { type: "participant" }>;

export interface PendingMessage {
	clientId: string;
	text: string;
}

/** A socket the page opened to the session before the client existed, with the frames it has had meanwhile. */
export interface OpenedSocket {
	socket: WebSocket;
	received: string[];
	/** Stops the page's own keeping of frames: the client listens from now on. */
	release(): void;
}

export interface SessionClientOptions {
	/** The site, e.g. http://localhost:8787; WebSocket URLs are derived from it. */
	baseUrl: string;
	joined: Pick<Joined, "token" | "webSocketPath">;
	/** Resume after this sequence number (a page that kept its history across a reload). */
	lastSeq?: number;
	/** Messages sent before a reload and not yet acknowledged: they are sent again, same ids. */
	pending?: PendingMessage[];
	minRetryMs?: number;
	maxRetryMs?: number;
	/**
	 * A socket already opened to this session with since=lastSeq (join.html opens one as soon as an
	 * invite link's join is answered): the first connection takes it, and what it received so far,
	 * rather than opening another a round trip later. One that has closed meanwhile is not taken.
	 */
	opened?: OpenedSocket;
}

const KEEPALIVE_MS = 25_000;
/** The close code the session uses for a device it no longer lets in. */
const POLICY_CLOSE = 1008;
const RATE_LIMITED_RETRY_MS = 1000;

export class SessionClient {
	lastSeq: number;
	state: SessionState | null = null;
	status: ConnectionStatus = "closed";
	private socket: WebSocket | null = null;
	private readonly pending = new Map<string, string>();
	private readonly listeners = new Set<(update: ClientUpdate) => void>();
	private readonly reconnect: Reconnect;
	private stopped = false;
	private keepalive: ReturnType<typeof setInterval> | null = null;
	private opened: OpenedSocket | null;
	/** Who this client is in the chat, from the state frame: their own messages' events acknowledge them. */
	private me: string | null = null;

	constructor(private readonly options: SessionClientOptions) {
		this.lastSeq = options.lastSeq ?? 0;
		this.opened = options.opened ?? null;
		for (const message of options.pending ?? []) this.pending.set(message.clientId, message.text);
		this.reconnect = new Reconnect(() => this.open("reconnecting"), options.minRetryMs ?? 250, options.maxRetryMs ?? 10_000);
	}

	/** Listens to everything the session says; returns a function that stops listening. */
	subscribe(listener: (update: ClientUpdate) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	connect(): void {
		this.stopped = false;
		this.open(this.reconnect.retrying ? "reconnecting" : "connecting");
	}

	/** Sends a chat message; returns its id. It is retried until acknowledged. */
	send(text: string, clientId = newClientId()): string {
		this.pending.set(clientId, text);
		this.transmit({ type: CLIENT.message, clientId, text });
		return clientId;
	}

	/** The participant token, for the calls beside the socket (sending and opening files). */
	get token(): string {
		return this.options.joined.token;
	}

	pendingMessages(): PendingMessage[] {
		return [...this.pending].map(([clientId, text]) => ({ clientId, text }));
	}

	typing(): void {
		this.transmit({ type: CLIENT.typing });
	}

	markRead(seq: number): void {
		this.transmit({ type: CLIENT.read, seq });
	}

	leave(): void {
		this.transmit({ type: CLIENT.leave });
	}

	endChat(): void {
		this.transmit({ type: CLIENT.end });
	}

	resolveCase(): void {
		this.transmit({ type: CLIENT.resolve });
	}

	/** Edits one's own message `of` (its seq); the session keeps the original for agents and the record. */
	editMessage(of: number, text: string): void {
		this.transmit({ type: CLIENT.edit, of, text });
	}

	deleteMessage(of: number): void {
		this.transmit({ type: CLIENT.delete, of });
	}

	close(): void {
		this.stopped = true;
		this.clearTimers();
		this.socket?.close(1000, "client closed");
		this.socket = null;
		this.setStatus("closed");
	}

	private open(status: ConnectionStatus): void {
		this.setStatus(status);
		const opened = this.takeOpened();
		const socket = opened?.socket ?? this.newSocket();
		this.socket = socket;
		socket.addEventListener("message", (event) => {
			if (typeof event.data === "string") this.receive(event.data);
		});
		socket.addEventListener("close", (event) => {
			if (this.socket !== socket) return;
			this.socket = null;
			this.clearTimers();
			// 1008: the session no longer lets this device in (its link was replaced); trying again cannot help.
			if (this.stopped || isOver(this.state) || event.code === POLICY_CLOSE) this.setStatus("closed");
			else this.scheduleRetry();
		});
		for (const raw of opened?.received.splice(0) ?? []) this.receive(raw);
	}

	private newSocket(): WebSocket {
		const url = new URL(this.options.joined.webSocketPath, this.options.baseUrl);
		url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
		url.searchParams.set("since", String(this.lastSeq));
		return new WebSocket(url.toString(), socketProtocols(this.options.joined.token));
	}

	/** The socket handed in, once, if it is still open or opening. */
	private takeOpened(): OpenedSocket | null {
		const opened = this.opened;
		if (!opened) return null;
		this.opened = null;
		opened.release();
		if (opened.socket.readyState === WebSocket.OPEN || opened.socket.readyState === WebSocket.CONNECTING) return opened;
		return null;
	}

	private receive(raw: string): void {
		const frame = parseServerFrame(raw);
		if (!frame) return;
		switch (frame.type) {
			case "state":
				this.reconnect.succeeded();
				this.state = frame.state;
				this.me = frame.you.id;
				this.setStatus("open");
				this.emit({ type: "state", state: frame.state });
				this.startKeepalive();
				for (const [clientId, text] of this.pending) this.transmit({ type: CLIENT.message, clientId, text });
				return;
			case "events":
				for (const event of frame.events) this.accept(event);
				return;
			case "ack":
				this.pending.delete(frame.clientId);
				return this.emit(frame);
			case "error":
				if (frame.code === "rate_limited" && frame.clientId !== undefined) this.resendLater(frame.clientId);
				return this.emit(frame);
			case "presence":
				if (this.state) this.state = { ...this.state, participants: frame.participants, status: frame.status, deadlines: frame.deadlines };
				return this.emit(frame);
			case "participant": {
				// One person's connection changed: their entry replaces the one the client has, and the
				// page hears it as the whole `presence`, as if the session had sent every entry.
				if (!this.state) return;
				const { participant } = frame;
				const known = this.state.participants.some((p) => p.id === participant.id);
				const participants = known ? this.state.participants.map((p) => (p.id === participant.id ? participant : p)) : [...this.state.participants, participant];
				this.state = { ...this.state, participants };
				return this.emit({ type: "presence", participants, status: this.state.status, deadlines: this.state.deadlines });
			}
			case "pong":
			// The join socket's answer, which whoever opened that socket read before handing it over.
			case "join":
				return;
			default:
				return this.emit(frame);
		}
	}

	private accept(event: SessionEvent): void {
		if (event.seq <= this.lastSeq) return;
		if (event.seq !== this.lastSeq + 1) {
			// A gap should not happen; if it does, reconnecting from lastSeq fills it.
			this.socket?.close(4000, "gap");
			return;
		}
		this.lastSeq = event.seq;
		if (this.state) this.state = { ...this.state, lastSeq: event.seq, ...stateAfter(event, this.state) };
		this.emit({ type: "event", event });
		// Stored: a new message's own event is its acknowledgement (the session sends an ack only for a resend, which it does not store again).
		if (event.type === "message" && event.actor?.id === this.me && this.pending.delete(event.clientId)) this.emit({ type: "ack", clientId: event.clientId, seq: event.seq, duplicate: false });
	}

	/** A message the session refused for speed goes again after a pause, with the same id. */
	private resendLater(clientId: string): void {
		setTimeout(() => {
			const text = this.pending.get(clientId);
			if (text !== undefined) this.transmit({ type: CLIENT.message, clientId, text });
		}, RATE_LIMITED_RETRY_MS);
	}

	private transmit(frame: ClientFrame): void {
		if (this.socket?.readyState === WebSocket.OPEN && this.status === "open") this.socket.send(JSON.stringify(frame));
	}

	private scheduleRetry(): void {
		this.reconnect.schedule();
		// Last: whoever hears of it may close the client, which cancels the retry just scheduled.
		this.setStatus("reconnecting");
	}

	/**
	 * Pings at once, then every KEEPALIVE_MS. The first ping matters: workerd holds a hibernatable
	 * socket that the session closes half-open until the object hibernates (about 10 s) unless its
	 * client has sent a frame, so a client that never spoke would see a chat's end close late. The
	 * session's runtime answers pings without waking the object.
	 */
	private startKeepalive(): void {
		this.transmit({ type: CLIENT.ping });
		if (this.keepalive) clearInterval(this.keepalive);
		this.keepalive = setInterval(() => this.transmit({ type: CLIENT.ping }), KEEPALIVE_MS);
	}

	private clearTimers(): void {
		this.reconnect.cancel();
		if (this.keepalive) clearInterval(this.keepalive);
		this.keepalive = null;
	}

	private setStatus(status: ConnectionStatus): void {
		if (status === this.status) return;
		this.status = status;
		this.emit({ type: "connection", status });
	}

	private emit(update: ClientUpdate): void {
		for (const listener of this.listeners) listener(update);
	}
}

function isOver(state: SessionState | null): boolean {
	return state !== null && isFinished(state.status);
}

/** What an event changes in the state the client holds, so it stays current between state frames. */
function stateAfter(event: SessionEvent, state: SessionState): Partial<SessionState> {
	switch (event.type) {
		case "chat_ended":
			return {
				status: statusAfterEnd(event.reason),
				endReason: event.reason,
				deadlines: { ...state.deadlines, chatEndsAt: null, keyExpiresAt: null, agentWaitEndsAt: null },
			};
		case "agent_away":
			return { deadlines: { ...state.deadlines, agentWaitEndsAt: event.waitUntil }, previousAgent: event.actor?.name ?? state.previousAgent };
		case "customer_returned":
			return { deadlines: { ...state.deadlines, agentWaitEndsAt: null } };
		default:
			return {};
	}
}

/** 128 random bits; crypto.randomUUID is missing on plain-http origins other than localhost. */
export function newClientId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
