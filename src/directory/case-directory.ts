/**
 * The case directory: cases, the support keys that lead to their sessions, the sessions' status,
 * and the queue of chats waiting for an agent, one table and its statements each. It does a few
 * indexed SQLite statements per call. A deployment has `DIRECTORY_SHARDS` of them, each holding
 * the cases whose ids name it and their sessions' keys, and one more for the queue; with a single
 * shard ("global") one object is all of it (src/directory/shards.ts, docs/architecture.md).
 * Consoles watch the queue over hibernatable WebSockets, so an idle console costs nothing between changes.
 */
import { DurableObject } from "cloudflare:workers";
import { socketPair } from "../http/socket-pair";
import type { CaseRecord, CreateCase } from "../shared/api";
import { CLIENT, SERVER } from "../shared/protocol";
import type { QueueEntry, QueueFrame } from "../shared/queue";
import { jsonError } from "../http/json-error";
import { SIGN_IN_HEADER } from "../security/agent-sign-ins";
import { HitLog } from "../limits/hit-log";
import { Connections, isOpen, trySend } from "../sockets/connections";
import { Cases } from "./cases";
import type { ChangeKeepers, Guesser, KeyBudget, KeyLookup, SessionChange } from "./contract";
import type { Shard } from "./shards";
import { WaitingQueue } from "./queue";
import { SessionStatuses } from "./session-status";
import { SupportKeys } from "./support-keys";
import type { TransferReport } from "./contract";
import { AGENT_HEADER } from "./contract";
import { TransferOffers } from "./transfer-offers";
import type { TransfersFrame } from "../shared/transfer";

/** The deployment's budget of wrong keys is counted per minute, in one bucket (docs/security.md has the numbers). */
const KEY_BUDGET_WINDOW_MS = 60_000;
const DEPLOYMENT = "deployment";
import { meterSql } from "../metering/sql-meter";

export class CaseDirectory extends DurableObject<Env> {
	private readonly cases: Cases;
	private readonly keys: SupportKeys;
	private readonly sessions: SessionStatuses;
	private readonly queue: WaitingQueue;
	/** Wrong support keys and links by address. */
	private readonly wrongGuesses: HitLog;
	/** Wrong support keys from every address together, for the deployment's budget. */
	private readonly wrongKeys: HitLog;
	private readonly consoles: Connections<null>;
	private readonly transferOffers: TransferOffers;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterSql(ctx, env, "CaseDirectory");
		const sql = ctx.storage.sql;
		this.wrongGuesses = new HitLog(sql);
		this.wrongKeys = new HitLog(sql, "key_budget_hits");
		this.cases = new Cases(sql);
		this.keys = new SupportKeys(sql);
		this.sessions = new SessionStatuses(sql);
		this.queue = new WaitingQueue(sql);
		this.consoles = new Connections(ctx, () => null);
		this.transferOffers = new TransferOffers(sql);
		// Console keep-alives are answered by the runtime without waking the object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(JSON.stringify({ type: CLIENT.ping }), JSON.stringify({ type: SERVER.pong })));
	}

	/** A console's live queue; the Worker has checked the agent and the origin. */
	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const { client, server } = socketPair();
		const signIn = request.headers.get(SIGN_IN_HEADER);
		const agent = request.headers.get(AGENT_HEADER);
		this.consoles.accept(server, [...(signIn === null ? [] : [signIn]), ...(agent === null ? [] : [agent])], null);
		server.send(this.queueFrame());
		// Chats offered to this agent follow, if there are any; a console starts each connection with none.
		const offers = agent === null ? [] : this.transferOffers.for(agent, Date.now());
		if (offers.length > 0) server.send(JSON.stringify({ type: "transfers", offers } satisfies TransfersFrame));
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

	/** `shard`: which shard this object is, for the new case's id to name it. */
	createCase(input: CreateCase, createdBy: string, now: number, shard: Shard): CaseRecord {
		return this.cases.create(input, createdBy, now, shard);
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

	/**
	 * Picks a support key for a new session of the case, in one synchronous call: the key, the
	 * session and the case list agree. The key leads to this shard (`shard`), where its case is.
	 */
	reserveSupportKey(sessionId: string, caseId: string, expiresAt: number, now: number, shard: Shard): string {
		const key = this.keys.reserve(sessionId, expiresAt, now, shard);
		this.sessions.started(sessionId, caseId);
		this.cases.sessionStarted(caseId, sessionId, now);
		return key;
	}

	/** A session a customer started: no support key leads to it, its customer is let in by the start itself. */
	registerSession(sessionId: string, caseId: string, now: number): void {
		this.sessions.started(sessionId, caseId);
		this.cases.sessionStarted(caseId, sessionId, now);
	}

	/** The case's sessions that have not finished. */
	liveSessionsOf(caseId: string): string[] {
		return this.sessions.liveOf(caseId);
	}

	/**
	 * Looks a support key up for someone at `guesser.address`. The address's wrong tries and the
	 * deployment's budget are checked and counted in this same call, so a burst of parallel guesses
	 * meets the limits exactly and a join costs one call here, not round trips to limiters before
	 * and after. The budget is checked before the key is looked at, so that a challenged answer never
	 * depends on whether the key was right.
	 */
	findSupportKey(key: string, guesser: Guesser, budget: KeyBudget, now: number): KeyLookup {
		const limited = this.guessLimit(guesser, now);
		if (limited) return limited;
		const withinBudget = this.wrongKeys.check(DEPLOYMENT, budget.perMinute, KEY_BUDGET_WINDOW_MS, now).allowed;
		if (!withinBudget && !budget.challengePassed) return { outcome: "challenge" };
		const found = this.keys.find(key);
		if (found) return { outcome: "found", sessionId: found.sessionId, expired: found.expiresAt <= now };
		// Once the budget is spent, a wrong key writes nothing more to it.
		if (withinBudget) this.wrongKeys.add(DEPLOYMENT, KEY_BUDGET_WINDOW_MS, now);
		return this.countWrong(guesser, now);
	}

	/** Counts a wrong try that the Worker caught itself (a link whose signature is wrong). */
	wrongGuess(guesser: Guesser, now: number): Exclude<KeyLookup, { outcome: "found" }> {
		return this.guessLimit(guesser, now) ?? this.countWrong(guesser, now);
	}

	/**
	 * A session reports each status change; the directory keeps the case and the queue in step.
	 * `keeps`: what this object holds of it (the case's shard the case, the queue object the queue).
	 */
	sessionChanged(change: SessionChange, keeps: ChangeKeepers = { cases: true, queue: true }): void {
		if (!this.sessions.accept(change)) return;
		if (keeps.cases) this.cases.sessionStatus(change.caseId, change.sessionId, change.status, change.at);
		if (keeps.queue && this.queue.update(change) && this.consoles.all().length > 0) this.consoles.broadcast(this.queueFrame());
	}

	/** A session's transfer offer changed: the consoles of the agents it concerns hear of it. */
	transferChanged(report: TransferReport): void {
		for (const agent of this.transferOffers.update(report)) {
			const frame = this.transfersFrame(agent);
			for (const ws of this.consoles.tagged(agent)) trySend(ws, frame);
		}
	}

	/** Which of these agents (participant ids) have a console open, and so can be offered a chat. */
	agentsOnline(agentIds: string[]): string[] {
		return agentIds.filter((id) => this.consoles.tagged(id).some(isOpen));
	}

	/** Every session of the case, oldest first. */
	sessionsOfCase(caseId: string): string[] {
		return this.sessions.ofCase(caseId);
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

	private transfersFrame(agent: string): string {
		return JSON.stringify({ type: "transfers", offers: this.transferOffers.for(agent, Date.now()) } satisfies TransfersFrame);
	}

	private queueFrame(): string {
		return JSON.stringify({ type: "queue", queue: this.queue.list() } satisfies QueueFrame);
	}
}
