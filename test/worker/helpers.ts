/** Drives the real Worker the way clients do: HTTP routes and WebSockets through its fetch handler. */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { CaseRecord, Joined, StartedSession } from "../../src/shared/api";
import type { ServerFrame, SessionEvent } from "../../src/shared/protocol";
import { parseServerFrame } from "../../src/shared/protocol";
import { joinProtocols, socketProtocols } from "../../src/shared/socket-auth";
import type { ChatSession } from "../../src/session/chat-session";
import { shifted } from "../../src/session/clock";
import type { EffectPorts } from "../../src/session/effects";
import { Waiters } from "../support/waiters";

export const AGENT_TOKEN = "dev-agent-token";
export const ORIGIN = "http://example.com";

export function api(path: string, init: RequestInit & { agent?: boolean } = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	if (init.agent !== false) headers.set("Authorization", `Bearer ${AGENT_TOKEN}`);
	if (typeof init.body === "string") headers.set("Content-Type", "application/json");
	return exports.default.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }));
}

export async function post<T>(path: string, body: unknown, expectStatus: number, agent = true): Promise<T> {
	const response = await api(path, { method: "POST", body: JSON.stringify(body), agent });
	if (response.status !== expectStatus) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
	return response.json<T>();
}

export async function newCase(subject = "Printer on fire"): Promise<CaseRecord> {
	return post<CaseRecord>("/api/cases", { subject, severity: "high", customer: { name: "Dana" } }, 201);
}

export async function newSession(): Promise<StartedSession> {
	const created = await newCase();
	return post<StartedSession>(`/api/cases/${created.caseId}/sessions`, {}, 201);
}

export function joinAsCustomer(started: StartedSession): Promise<Joined> {
	return post<Joined>("/api/join", { supportKey: started.supportKey }, 200, false);
}

export const COLLEAGUE_TOKEN = "colleague-token-1234";

export async function joinAsAgent(sessionId: string, token = AGENT_TOKEN): Promise<Joined> {
	const response = await api(`/api/sessions/${sessionId}/agent`, { method: "POST", agent: false, headers: { Authorization: `Bearer ${token}` }, body: "{}" });
	if (response.status !== 200) throw new Error(`agent join: ${response.status} ${await response.text()}`);
	return response.json<Joined>();
}

/** A WebSocket client that records every frame and lets a test wait for the ones it expects. */
export class TestClient {
	readonly frames: ServerFrame[] = [];
	closed: { code: number; reason: string } | null = null;
	private readonly waiters = new Waiters();

	private constructor(readonly socket: WebSocket) {
		socket.addEventListener("message", (event) => {
			const frame = parseServerFrame(typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data));
			if (!frame) throw new Error(`unparseable frame: ${String(event.data)}`);
			this.frames.push(frame);
			this.waiters.wake();
		});
		socket.addEventListener("close", (event) => {
			this.closed = { code: event.code, reason: event.reason };
			this.waiters.wake();
		});
	}

	static async connect(joined: Joined, since = 0, headers: Record<string, string> = {}): Promise<TestClient> {
		const response = await openSocket(joined, since, headers);
		if (!response.webSocket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
		response.webSocket.accept();
		return new TestClient(response.webSocket);
	}

	/** Joins by an invite link on the join socket (GET /api/join/ws): its first frame is the join's answer. */
	static async joinOnSocket(inviteToken: string, headers: Record<string, string> = {}): Promise<TestClient> {
		const response = await exports.default.fetch(
			new Request(`${ORIGIN}/api/join/ws`, { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": joinProtocols(inviteToken).join(", "), ...headers } }),
		);
		if (!response.webSocket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
		response.webSocket.accept();
		return new TestClient(response.webSocket);
	}

	send(frame: unknown): void {
		this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
	}

	say(clientId: string, text: string): void {
		this.send({ type: "message", clientId, text });
	}

	/** Events in the order received, each once. */
	get events(): SessionEvent[] {
		return this.frames.flatMap((f) => (f.type === "events" ? f.events : []));
	}

	messages(): string[] {
		return this.events.flatMap((e) => (e.type === "message" ? [e.text] : []));
	}

	/** Resolves once `test` holds, or fails after `ms`: tests never wait on a bare sleep. */
	async until<T>(test: () => T | undefined | false | null, what: string, ms = 4000): Promise<T> {
		try {
			return await this.waiters.until(test, what, ms);
		} catch (error) {
			throw new Error(`${error instanceof Error ? error.message : String(error)}; frames: ${JSON.stringify(this.frames).slice(0, 2000)}`);
		}
	}

	frameOf<K extends ServerFrame["type"]>(type: K, from = 0): Promise<Extract<ServerFrame, { type: K }>> {
		return this.until(() => this.frames.slice(from).find((f): f is Extract<ServerFrame, { type: K }> => f.type === type), `a ${type} frame`);
	}

	/**
	 * This client's own message `clientId` as it came back stored, in its place in the order: a new
	 * message's acknowledgement (only a resend is answered with an `ack` frame).
	 */
	stored(clientId: string): Promise<Extract<SessionEvent, { type: "message" }>> {
		const me = () => this.frames.find((f) => f.type === "state")?.you.id;
		return this.until(() => this.events.find((e): e is Extract<SessionEvent, { type: "message" }> => e.type === "message" && e.clientId === clientId && e.actor?.id === me()), `${clientId} stored`);
	}

	untilClosed(): Promise<{ code: number; reason: string }> {
		return this.until(() => this.closed, "the socket to close");
	}

	close(): void {
		this.socket.close(1000, "test done");
	}
}

export function openSocket(joined: Joined, since = 0, headers: Record<string, string> = {}): Promise<Response> {
	return exports.default.fetch(
		new Request(`${ORIGIN}${joined.webSocketPath}?since=${since}`, {
			headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": socketProtocols(joined.token).join(", "), ...headers },
		}),
	);
}

export function sessionStub(sessionId: string): DurableObjectStub<ChatSession> {
	return env.SESSIONS.get(env.SESSIONS.idFromName(sessionId));
}

type StoredRecord = Record<string, unknown>;

/** The session's record as the object last committed it. */
export function storedRecord(sessionId: string): Promise<StoredRecord> {
	return runInDurableObject(sessionStub(sessionId), (_i: ChatSession, state): StoredRecord => JSON.parse(state.storage.sql.exec<{ json: string }>("SELECT json FROM session").one().json));
}

/**
 * Moves the live session's clock `ms` forward. The scheduled alarm is left where it was, as a
 * late alarm would be; an eviction brings the object back on the real clock.
 */
export async function timePasses(sessionId: string, ms: number): Promise<void> {
	await runInDurableObject(sessionStub(sessionId), (instance: ChatSession) => {
		instance.clock = shifted(instance.clock, ms);
	});
}

export interface OutboxRow {
	effect: string;
	attempts: number;
	/** How long from the session's now until the next try. */
	dueInMs: number;
}

/** What the session's outbox still holds, by effect kind. */
export function outboxOf(sessionId: string): Promise<OutboxRow[]> {
	return runInDurableObject(sessionStub(sessionId), (instance: ChatSession, state) =>
		state.storage.sql
			.exec<{ payload: string; attempts: number; next_at: number }>("SELECT payload, attempts, next_at FROM outbox ORDER BY id")
			.toArray()
			.map((row) => ({ effect: String(JSON.parse(row.payload).kind), attempts: row.attempts, dueInMs: row.next_at - instance.clock() })),
	);
}

/** Swaps what the live session carries its effects out with (R2, the directory), e.g. for one that fails. */
export function withPorts(sessionId: string, change: (ports: EffectPorts) => Partial<EffectPorts>): Promise<void> {
	return runInDurableObject(sessionStub(sessionId), (instance: ChatSession) => {
		Object.assign(instance.ports, change(instance.ports));
	});
}

/**
 * The object dies where it stands, with whatever it had under way: the runtime resets it, and the
 * next use starts a new instance from storage. (An eviction would wait for the work under way.)
 */
export async function crash(sessionId: string): Promise<void> {
	try {
		await runInDurableObject(sessionStub(sessionId), (_i: ChatSession, state) => state.abort("crash"));
	} catch {
		// abort() throws out of the call that made it.
	}
}

/** A promise that never settles: an R2 or directory call that hangs until the object dies. */
export function never(): Promise<never> {
	return new Promise(() => {});
}
