/**
 * The case directory: cases, the support keys that lead to their sessions, and the queue of
 * chats waiting for an agent. One object serves a deployment (named "global"); it does a few
 * indexed SQLite statements per call, far below what one object can take. When it is not enough
 * it shards by key: support keys by their first digit, cases by their id, each shard one object
 * (docs/architecture.md). Consoles watch the queue over hibernatable WebSockets, so an idle
 * console costs nothing between changes.
 */
import { DurableObject } from "cloudflare:workers";
import { completeClose } from "../http/close-handshake";
import { socketPair } from "../http/socket-pair";
import { z } from "zod";
import type { CaseRecord, CreateCase } from "../shared/api";
import { CustomerContactSchema } from "../shared/api";
import type { SessionStatus } from "../shared/protocol";
import { CLIENT, SERVER, SESSION_STATUSES, SEVERITIES } from "../shared/protocol";
import type { QueueEntry, QueueFrame } from "../shared/queue";
import { jsonError } from "../http/json-error";
import { SIGN_IN_HEADER } from "../security/agent-sign-ins";
import { randomDigits } from "../security/random";
import { HitLog } from "../limits/hit-log";

/** Expired keys are remembered this long, so that a late visitor hears "expired", not "unknown". */
const EXPIRED_KEY_MEMORY_MS = 7 * 24 * 3600 * 1000;

/** Someone trying a support key or link: wrong tries are counted per address, within a limit. */
export interface Guesser {
	address: string;
	limit: number;
	windowMs: number;
}

export type KeyLookup =
	| { outcome: "found"; sessionId: string; expired: boolean }
	| { outcome: "unknown" }
	| { outcome: "limited"; retryAfterMs: number };

export interface SessionChange {
	sessionId: string;
	caseId: string;
	status: SessionStatus;
	/** Whether the chat belongs in the agents' queue now. */
	queued: boolean;
	at: number;
	previousAgent: string | null;
	/** The session's last sequence number: reports can cross on the way, and an older one is ignored. */
	version: number;
}

const CaseRowSchema = z.object({
	case_id: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	status: z.enum(["open", "resolved"]),
	customer: z.string(),
	created_at: z.number(),
	created_by: z.string(),
	last_activity_at: z.number(),
	session_id: z.string().nullable(),
	session_status: z.enum(SESSION_STATUSES).nullable(),
});

const QueueRowSchema = z.object({
	session_id: z.string(),
	case_id: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	waiting_since: z.number(),
	previous_agent: z.string().nullable(),
});

export class CaseDirectory extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	/** Wrong support keys and links by address. */
	private readonly wrongGuesses: HitLog;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		this.wrongGuesses = new HitLog(this.sql);
		this.sql.exec(`
			CREATE TABLE IF NOT EXISTS cases (
				case_id TEXT PRIMARY KEY, subject TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
				customer TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
				last_activity_at INTEGER NOT NULL, session_id TEXT, session_status TEXT);
			CREATE TABLE IF NOT EXISTS session_versions (session_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
			CREATE INDEX IF NOT EXISTS cases_by_activity ON cases (status, last_activity_at);
			CREATE TABLE IF NOT EXISTS support_keys (
				key TEXT PRIMARY KEY, session_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
			CREATE TABLE IF NOT EXISTS queue (
				session_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, waiting_since INTEGER NOT NULL, previous_agent TEXT);
		`);
		// Console keep-alives are answered by the runtime without waking the object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(JSON.stringify({ type: CLIENT.ping }), JSON.stringify({ type: SERVER.pong })));
	}

	/** A console's live queue; the Worker has checked the agent and the origin. */
	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const { client, server } = socketPair();
		const signIn = request.headers.get(SIGN_IN_HEADER);
		this.ctx.acceptWebSocket(server, signIn === null ? [] : [signIn]);
		server.send(this.queueFrame());
		return new Response(null, { status: 101, webSocket: client });
	}

	/** Closes the consoles opened with these sign-ins: their agent signed out. */
	closeSignedOut(signIns: string[]): void {
		for (const signIn of signIns) for (const ws of this.ctx.getWebSockets(signIn)) completeClose(ws, 1008, "signed out");
	}

	/** Consoles only listen; their pings are answered by the auto-response. */
	override async webSocketMessage(): Promise<void> {}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		completeClose(ws, code, reason);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		completeClose(ws, 1011, "socket error");
	}

	createCase(input: CreateCase, createdBy: string, now: number): CaseRecord {
		let caseId: string;
		do caseId = `case-${randomDigits(10)}`;
		while (this.sql.exec("SELECT 1 FROM cases WHERE case_id = ?", caseId).toArray().length > 0);
		this.sql.exec(
			"INSERT INTO cases (case_id, subject, severity, status, customer, created_at, created_by, last_activity_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?)",
			caseId,
			input.subject,
			input.severity,
			JSON.stringify(input.customer),
			now,
			createdBy,
			now,
		);
		const record = this.getCase(caseId);
		if (!record) throw new Error("a case just written cannot be read");
		return record;
	}

	getCase(caseId: string): CaseRecord | null {
		const row = this.sql.exec("SELECT * FROM cases WHERE case_id = ?", caseId).toArray()[0];
		return row ? toCase(row) : null;
	}

	/** Open cases first, most recently active first. */
	listCases(limit = 200): CaseRecord[] {
		return this.sql
			.exec("SELECT * FROM cases ORDER BY status = 'resolved', last_activity_at DESC LIMIT ?", limit)
			.toArray()
			.map(toCase);
	}

	/** Resolves a case nobody is chatting in (its chat ended, or never started). */
	resolveCase(caseId: string, at: number): CaseRecord | null {
		this.sql.exec("UPDATE cases SET status = 'resolved', last_activity_at = ? WHERE case_id = ?", at, caseId);
		return this.getCase(caseId);
	}

	/** Picks a support key no live session uses and ties it to the session until it expires. */
	reserveSupportKey(sessionId: string, caseId: string, expiresAt: number, now: number): string {
		this.sql.exec("DELETE FROM support_keys WHERE expires_at < ?", now - EXPIRED_KEY_MEMORY_MS);
		let key: string;
		do key = randomDigits(9);
		while (this.sql.exec("SELECT 1 FROM support_keys WHERE key = ?", key).toArray().length > 0);
		this.sql.exec("INSERT INTO support_keys (key, session_id, expires_at) VALUES (?, ?, ?)", key, sessionId, expiresAt);
		this.sql.exec(
			"UPDATE cases SET session_id = ?, session_status = 'pending', last_activity_at = ? WHERE case_id = ?",
			sessionId,
			now,
			caseId,
		);
		return key;
	}

	/**
	 * Looks a support key up for someone at `guesser.address`. The address's wrong tries are
	 * checked and counted in this same call, so a burst of parallel guesses meets the limit exactly
	 * and a join costs one call here, not a round trip to a separate limiter before and after.
	 */
	findSupportKey(key: string, guesser: Guesser, now: number): KeyLookup {
		const limited = this.guessLimit(guesser, now);
		if (limited) return limited;
		const row = this.sql.exec<{ session_id: string; expires_at: number }>("SELECT session_id, expires_at FROM support_keys WHERE key = ?", key).toArray()[0];
		if (row) return { outcome: "found", sessionId: row.session_id, expired: row.expires_at <= now };
		return this.countWrong(guesser, now);
	}

	/** Counts a wrong try that the Worker caught itself (a link whose signature is wrong). */
	wrongGuess(guesser: Guesser, now: number): Exclude<KeyLookup, { outcome: "found" }> {
		return this.guessLimit(guesser, now) ?? this.countWrong(guesser, now);
	}

	private guessLimit({ address, limit, windowMs }: Guesser, now: number): { outcome: "limited"; retryAfterMs: number } | null {
		const decision = this.wrongGuesses.check(address, limit, windowMs, now);
		return decision.allowed ? null : { outcome: "limited", retryAfterMs: decision.retryAfterMs };
	}

	private countWrong(guesser: Guesser, now: number): { outcome: "unknown" } {
		this.wrongGuesses.add(guesser.address, guesser.windowMs, now);
		return { outcome: "unknown" };
	}

	/** A session reports each status change; the directory keeps the case and the queue in step. */
	sessionChanged(change: SessionChange): void {
		const current = this.sql.exec(
			"INSERT INTO session_versions (session_id, version) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET version = excluded.version WHERE excluded.version >= session_versions.version",
			change.sessionId,
			change.version,
		).rowsWritten;
		if (current === 0) return;
		this.sql.exec(
			"UPDATE cases SET session_status = ?, last_activity_at = ? WHERE case_id = ? AND session_id = ?",
			change.status,
			change.at,
			change.caseId,
			change.sessionId,
		);
		if (change.status === "resolved") {
			this.sql.exec("UPDATE cases SET status = 'resolved' WHERE case_id = ?", change.caseId);
		}
		const queued = change.queued
			? this.sql.exec(
						"INSERT INTO queue (session_id, case_id, waiting_since, previous_agent) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET previous_agent = excluded.previous_agent",
						change.sessionId,
						change.caseId,
						change.at,
						change.previousAgent,
					)
				: this.sql.exec("DELETE FROM queue WHERE session_id = ?", change.sessionId);
		if (queued.rowsWritten > 0) this.broadcastQueue();
	}

	/** Chats whose customer waits for an agent, longest wait first. */
	waitingQueue(): QueueEntry[] {
		return this.sql
			.exec(
				"SELECT q.session_id, q.case_id, c.subject, c.severity, q.waiting_since, q.previous_agent FROM queue q JOIN cases c ON c.case_id = q.case_id ORDER BY q.waiting_since",
			)
			.toArray()
			.map((raw) => {
				const row = QueueRowSchema.parse(raw);
				return {
					sessionId: row.session_id,
					caseId: row.case_id,
					subject: row.subject,
					severity: row.severity,
					waitingSince: row.waiting_since,
					previousAgent: row.previous_agent,
				};
			});
	}

	private queueFrame(): string {
		return JSON.stringify({ type: "queue", queue: this.waitingQueue() } satisfies QueueFrame);
	}

	private broadcastQueue(): void {
		const sockets = this.ctx.getWebSockets();
		if (sockets.length === 0) return;
		const frame = this.queueFrame();
		for (const ws of sockets) {
			try {
				ws.send(frame);
			} catch {
				// A closing console reconnects and gets the whole queue again.
			}
		}
	}
}

function toCase(raw: Record<string, SqlStorageValue>): CaseRecord {
	const row = CaseRowSchema.parse(raw);
	return {
		caseId: row.case_id,
		subject: row.subject,
		severity: row.severity,
		status: row.status,
		customer: CustomerContactSchema.parse(JSON.parse(row.customer)),
		createdAt: row.created_at,
		createdBy: row.created_by,
		lastActivityAt: row.last_activity_at,
		session: row.session_id && row.session_status ? { sessionId: row.session_id, status: row.session_status } : null,
	};
}
