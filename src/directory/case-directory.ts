/**
 * The case directory: cases, the support keys that lead to their sessions, the sessions' status,
 * and the queue of chats waiting for an agent, one table and its statements each. One object
 * serves a deployment (named "global"); it does a few indexed SQLite statements per call, far
 * below what one object can take. When it is not enough it shards by key: support keys by their
 * first digit, cases by their id, each shard one object (docs/architecture.md). Consoles watch the
 * queue over hibernatable WebSockets, so an idle console costs nothing between changes.
 */
import { DurableObject } from "cloudflare:workers";
import { socketPair } from "../http/socket-pair";
import type { CaseRecord, CreateCase } from "../shared/api";
import { CLIENT, SERVER } from "../shared/protocol";
import type { QueueEntry, QueueFrame } from "../shared/queue";
import { jsonError } from "../http/json-error";
import { SIGN_IN_HEADER } from "../security/agent-sign-ins";
import { HitLog } from "../limits/hit-log";
import { Connections } from "../sockets/connections";
import { Cases } from "./cases";
import type { Guesser, KeyLookup, SessionChange } from "./contract";
import { WaitingQueue } from "./queue";
import { SessionStatuses } from "./session-status";
import { SupportKeys } from "./support-keys";
import { meterSql } from "../metering/sql-meter";

export class CaseDirectory extends DurableObject<Env> {
	private readonly cases: Cases;
	private readonly keys: SupportKeys;
	private readonly sessions: SessionStatuses;
	private readonly queue: WaitingQueue;
	/** Wrong support keys and links by address. */
	private readonly wrongGuesses: HitLog;
	private readonly consoles: Connections<null>;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterSql(ctx, env, "CaseDirectory");
		const sql = ctx.storage.sql;
		this.wrongGuesses = new HitLog(sql);
		this.cases = new Cases(sql);
		this.keys = new SupportKeys(sql);
		this.sessions = new SessionStatuses(sql);
		this.queue = new WaitingQueue(sql);
		this.consoles = new Connections(ctx, () => null);
		// Console keep-alives are answered by the runtime without waking the object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(JSON.stringify({ type: CLIENT.ping }), JSON.stringify({ type: SERVER.pong })));
	}

	/** A console's live queue; the Worker has checked the agent and the origin. */
	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const { client, server } = socketPair();
		const signIn = request.headers.get(SIGN_IN_HEADER);
		this.consoles.accept(server, signIn === null ? [] : [signIn], null);
		server.send(this.queueFrame());
		return new Response(null, { status: 101, webSocket: client });
	}

	/** Closes the consoles opened with these sign-ins: their agent signed out. */
	closeSignedOut(signIns: string[]): void {
		for (const signIn of signIns) this.consoles.close(signIn, 1008, "signed out");
	}

	/** Consoles only listen; their pings are answered by the auto-response. */
	override async webSocketMessage(): Promise<void> {}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		this.consoles.closed(ws, code, reason);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		this.consoles.closed(ws, 1011, "socket error");
	}

	createCase(input: CreateCase, createdBy: string, now: number): CaseRecord {
		return this.cases.create(input, createdBy, now);
	}

	getCase(caseId: string): CaseRecord | null {
		return this.cases.get(caseId);
	}

	/** Open cases first, most recently active first. */
	listCases(limit = 200): CaseRecord[] {
		return this.cases.list(limit);
	}

	/** Resolves a case nobody is chatting in (its chats ended, or never started). */
	resolveCase(caseId: string, at: number): CaseRecord | null {
		this.cases.resolve(caseId, at);
		return this.cases.get(caseId);
	}

	/** Picks a support key for a new session of the case, in one synchronous call: the key, the session and the case list agree. */
	reserveSupportKey(sessionId: string, caseId: string, expiresAt: number, now: number): string {
		const key = this.keys.reserve(sessionId, expiresAt, now);
		this.sessions.started(sessionId, caseId);
		this.cases.sessionStarted(caseId, sessionId, now);
		return key;
	}

	/** The case's sessions that have not finished. */
	liveSessionsOf(caseId: string): string[] {
		return this.sessions.liveOf(caseId);
	}

	/**
	 * Looks a support key up for someone at `guesser.address`. The address's wrong tries are
	 * checked and counted in this same call, so a burst of parallel guesses meets the limit exactly
	 * and a join costs one call here, not a round trip to a separate limiter before and after.
	 */
	findSupportKey(key: string, guesser: Guesser, now: number): KeyLookup {
		const limited = this.guessLimit(guesser, now);
		if (limited) return limited;
		const found = this.keys.find(key);
		if (found) return { outcome: "found", sessionId: found.sessionId, expired: found.expiresAt <= now };
		return this.countWrong(guesser, now);
	}

	/** Counts a wrong try that the Worker caught itself (a link whose signature is wrong). */
	wrongGuess(guesser: Guesser, now: number): Exclude<KeyLookup, { outcome: "found" }> {
		return this.guessLimit(guesser, now) ?? this.countWrong(guesser, now);
	}

	/** A session reports each status change; the directory keeps the case and the queue in step. */
	sessionChanged(change: SessionChange): void {
		if (!this.sessions.accept(change)) return;
		this.cases.sessionStatus(change.caseId, change.sessionId, change.status, change.at);
		if (this.queue.update(change) && this.consoles.all().length > 0) this.consoles.broadcast(this.queueFrame());
	}

	/** Chats whose customer waits for an agent, longest wait first. */
	waitingQueue(): QueueEntry[] {
		return this.queue.list();
	}

	private guessLimit({ address, limit, windowMs }: Guesser, now: number): { outcome: "limited"; retryAfterMs: number } | null {
		const decision = this.wrongGuesses.check(address, limit, windowMs, now);
		return decision.allowed ? null : { outcome: "limited", retryAfterMs: decision.retryAfterMs };
	}

	private countWrong(guesser: Guesser, now: number): { outcome: "unknown" } {
		this.wrongGuesses.add(guesser.address, guesser.windowMs, now);
		return { outcome: "unknown" };
	}

	private queueFrame(): string {
		return JSON.stringify({ type: "queue", queue: this.queue.list() } satisfies QueueFrame);
	}
}
