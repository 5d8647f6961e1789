/**
 * One chat session: its event log, its participants, its deadlines and its live sockets.
 * Reached only through the Worker, which checks tokens and origins first. Sockets are
 * hibernatable: whatever a socket needs after a wake is in its attachment or in SQLite.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { Actor, ClientFrame, EndReason, EventBody, ParticipantView, Role, ServerFrame, SessionState, SessionStatus } from "../shared/protocol";
import { CLIENT, LIMITS, ROLES, SERVER, isFrameProblem, parseClientFrame, statusAfterEnd } from "../shared/protocol";
import type { Refusal } from "../shared/refusals";
import { CHAT_SUBPROTOCOL } from "../shared/socket-auth";
import { secretsEqual } from "../security/random";
import { directoryOf } from "../bindings";
import { completeClose } from "../http/close-handshake";
import { socketPair } from "../http/socket-pair";
import { jsonError } from "../http/json-error";
import type { Appended } from "./event-log";
import { EventLog } from "./event-log";
import { Roster } from "./roster";
import type { SessionInit, SessionRecord } from "./session-record";
import { RecordStore, isTerminal, newRecord, pendingDeadlines } from "./session-record";
import { buildTranscript, transcriptKey } from "./transcript";
import { SendRate } from "./send-rate";
import { readConfig } from "../config";
import type { StartUpload, Upload } from "../shared/files";
import type { Downloadable, FileHost, FileRefusal, PartTarget } from "../files/session-files";
import { SessionFiles } from "../files/session-files";

export type Admission = { ok: true; actor: Actor; caseId: string; inviteSecret: string } | { ok: false; reason: Refusal };
export type CustomerProof = { inviteSecret: string } | { supportKeyChecked: true };

/** Header by which the Worker hands the verified participant to the object. */
export const ACTOR_HEADER = "x-chat-actor";
const ActorSchema = z.object({ id: z.string(), role: z.enum(ROLES), name: z.string() });

const NO_SESSION: FileRefusal = { refused: 404, error: "no such session" };
const PING = JSON.stringify({ type: CLIENT.ping });
const PONG = JSON.stringify({ type: SERVER.pong });
const TRANSCRIPT_RETRY_MS = 30_000;
/** When a report to the directory is checked on; each resend in a row waits twice as long, up to the maximum. */
const REPORT_CHECK_MS = 5_000;
const REPORT_CHECK_MAX_MS = 5 * 60_000;

export class ChatSession extends DurableObject<Env> {
	private readonly records: RecordStore;
	private readonly log: EventLog;
	private readonly roster: Roster;
	private record: SessionRecord | null;
	private readonly sendRate = new SendRate();
	/** Attachments decoded once per socket per wake, not once per frame. */
	private readonly actors = new WeakMap<WebSocket, Actor>();
	/** The sockets to fan out to, asked of the runtime once per wake and again only after a socket opens or closes. */
	private sockets: WebSocket[] | null = null;
	private readonly lastTyping = new Map<string, number>();
	/** Whether the directory was last told this chat is queued; null after a wake (unknown). */
	private reportedQueued: boolean | null = null;
	/** The latest report to the directory; it never rejects. */
	private reportUnderWay: Promise<void> = Promise.resolve();
	/** Changes armed for a report so far: a report that arrives disarms the check only if none was armed after it was sent. */
	private reportsArmed = 0;
	private readonly files: SessionFiles;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		const sql = ctx.storage.sql;
		this.records = new RecordStore(sql);
		this.log = new EventLog(sql);
		this.roster = new Roster(sql);
		this.record = this.records.load();
		this.files = new SessionFiles(sql, env.ARCHIVE, () => readConfig(env).files);
		// Keep-alives are answered by the runtime without waking a hibernating object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
	}

	// ---- RPC from the Worker ------------------------------------------------------------------

	/** Creates the session; calling it again with the same session changes nothing. */
	async open(init: SessionInit): Promise<void> {
		if (this.record) return;
		this.record = newRecord(init);
		await this.commit();
	}

	async admitCustomer(proof: CustomerProof): Promise<Admission> {
		const record = await this.settle();
		if (!record) return { ok: false, reason: "unknown" };
		if ("inviteSecret" in proof && !(await secretsEqual(proof.inviteSecret, record.inviteSecret))) {
			return { ok: false, reason: "unknown" };
		}
		if (record.status === "expired") return { ok: false, reason: "expired" };
		if (isTerminal(record)) return { ok: false, reason: "ended" };
		// A support key starts the chat once; coming back is by the invite link, which the join answers.
		if ("supportKeyChecked" in proof && record.startedAt !== null) return { ok: false, reason: "used" };
		const actor: Actor = { id: "customer", role: "customer", name: record.customerName };
		const now = Date.now();
		if (record.startedAt === null) {
			record.startedAt = now;
			record.chatEndsAt = now + record.chatMaxMs;
		}
		if (this.roster.enter(actor, now)) this.append({ type: "joined" }, actor, now);
		await this.statusMayHaveChanged(now);
		return { ok: true, actor, caseId: record.caseId, inviteSecret: record.inviteSecret };
	}

	/** An agent joins; an ended session admits agents to read it, without joining them. */
	async admitAgent(actor: Actor): Promise<Admission> {
		const record = await this.settle();
		if (!record) return { ok: false, reason: "unknown" };
		if (actor.role !== "agent") return { ok: false, reason: "forbidden" };
		if (isTerminal(record)) return { ok: true, actor, caseId: record.caseId, inviteSecret: record.inviteSecret };
		const now = Date.now();
		if (this.roster.enter(actor, now)) {
			this.append({ type: "joined" }, actor, now);
			record.agentWaitEndsAt = null;
		}
		await this.statusMayHaveChanged(now);
		// The agent's console reads the case list next.
		await this.reportUnderWay;
		return { ok: true, actor, caseId: record.caseId, inviteSecret: record.inviteSecret };
	}

	async end(actor: Actor, reason: Extract<EndReason, "ended_by_agent" | "ended_by_customer" | "resolved">): Promise<SessionState | null> {
		const record = await this.settle();
		if (!record) return null;
		await this.finish(reason, actor, Date.now());
		// The agent's console reads the case list next.
		await this.reportUnderWay;
		return this.state();
	}

	async describe(): Promise<SessionState | null> {
		return (await this.settle()) ? this.state() : null;
	}

	/** What an invite for this session carries; null once nobody can be invited any more. */
	async invitation(): Promise<{ caseId: string; supportKey: string; inviteSecret: string; keyExpiresAt: number | null } | null> {
		const record = await this.settle();
		if (!record || isTerminal(record)) return null;
		const keyLive = Date.now() < record.keyExpiresAt;
		return { caseId: record.caseId, supportKey: record.supportKey, inviteSecret: record.inviteSecret, keyExpiresAt: keyLive ? record.keyExpiresAt : null };
	}

	/** Appends an event that happened outside the chat (an invite sent); customers see it without recipients or details. */
	async note(body: EventBody, actor: Actor): Promise<boolean> {
		const record = await this.settle();
		if (!record || isTerminal(record)) return false;
		this.append(body, actor, Date.now());
		return true;
	}

	// ---- WebSockets ---------------------------------------------------------------------------

	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const actor = parseActorHeader(request.headers.get(ACTOR_HEADER));
		if (!actor) return jsonError(400, "missing participant");
		const since = Number(new URL(request.url).searchParams.get("since") ?? "0");
		if (!Number.isSafeInteger(since) || since < 0) return jsonError(400, "since must be a whole number of at least 0");
		const record = await this.settle();
		if (!record) return jsonError(404, "no such session");
		if (!isTerminal(record) && !this.roster.get(actor.id)?.present) {
			return jsonError(403, "you are not in this chat: join again with your invite link");
		}

		const { client, server } = socketPair();
		this.ctx.acceptWebSocket(server, [actor.id, actor.role]);
		this.sockets = null;
		server.serializeAttachment(actor);
		this.actors.set(server, actor);
		send(server, { type: SERVER.state, state: this.state(), you: actor });
		this.replay(server, actor.role, since);
		if (isTerminal(record)) server.close(1000, "chat ended");
		else this.broadcastPresence();
		// The Worker let only clients that offered the chat's subprotocol through; the token they offered with it is not echoed.
		return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": CHAT_SUBPROTOCOL } });
	}

	override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
		const actor = this.actorOf(ws);
		if (!actor) return ws.close(1008, "unknown participant");
		const frame = parseClientFrame(data);
		if (isFrameProblem(frame)) return send(ws, { type: SERVER.error, code: frame.code, message: frame.message });
		await this.handle(ws, actor, frame);
	}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		this.sockets = null;
		completeClose(ws, code, reason);
		this.broadcastPresence(ws);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		this.sockets = null;
		this.broadcastPresence(ws);
	}

	override async alarm(): Promise<void> {
		await this.settle();
		const host = this.fileHost();
		if (host) await this.files.sweep(host, Date.now());
		// A report the alarm sent is part of its work: arrived, or its next check armed, before it returns.
		await this.reportUnderWay;
	}

	private async handle(ws: WebSocket, actor: Actor, frame: ClientFrame): Promise<void> {
		if (frame.type === CLIENT.ping) return send(ws, { type: SERVER.pong });
		const record = this.record;
		if (!record) return ws.close(1011, "session missing");
		const now = Date.now();
		if (this.dueDeadline(record, now)) await this.settle(now);
		if (isTerminal(record)) return send(ws, { type: SERVER.error, code: "session_ended", message: "this chat has ended" });
		if (!this.roster.get(actor.id)?.present) return send(ws, { type: SERVER.error, code: "forbidden", message: "you have left this chat" });

		switch (frame.type) {
			case CLIENT.message:
				return this.onMessage(ws, actor, frame.clientId, frame.text, now);
			case CLIENT.typing:
				if (now - (this.lastTyping.get(actor.id) ?? 0) < LIMITS.typingIntervalMs) return;
				this.lastTyping.set(actor.id, now);
				return this.broadcast(JSON.stringify({ type: SERVER.typing, actor } satisfies ServerFrame), ws);
			case CLIENT.read: {
				const seq = Math.min(frame.seq, this.log.lastSeq);
				if (this.roster.markRead(actor.id, seq)) this.broadcast(JSON.stringify({ type: SERVER.read, participantId: actor.id, seq } satisfies ServerFrame));
				return;
			}
			case CLIENT.leave:
				return this.onLeave(actor, now);
			case CLIENT.end:
				return this.finish(actor.role === "agent" ? "ended_by_agent" : "ended_by_customer", actor, now);
			case CLIENT.resolve:
				return this.finish("resolved", actor, now);
		}
	}

	private async onMessage(ws: WebSocket, actor: Actor, clientId: string, text: string, now: number): Promise<void> {
		const record = this.record;
		const returning = record !== null && actor.role === "customer" && record.agentWaitEndsAt !== null;
		if (returning || !this.sendRate.allows(actor.id, now)) {
			// A resend changes nothing: it must not be refused, nor bring the customer back. Look it up first.
			const seen = this.log.seqOfClientId(actor.id, clientId);
			if (seen !== null) return send(ws, { type: SERVER.ack, clientId, seq: seen, duplicate: true });
			if (!this.sendRate.allows(actor.id, now)) {
				return send(ws, { type: SERVER.error, code: "rate_limited", message: "too many messages: slow down a little", clientId });
			}
			if (record && returning) {
				record.agentWaitEndsAt = null;
				this.append({ type: "customer_returned" }, actor, now);
				// Back in the queue, marked for the agent who left.
				await this.statusMayHaveChanged(now);
			}
		}
		if (this.log.lastSeq >= LIMITS.maxEventsPerSession) {
			return send(ws, { type: SERVER.error, code: "session_full", message: "this chat has reached its size limit: start a new session", clientId });
		}
		const appended = this.log.appendMessage(actor, clientId, text, now);
		if ("repeatOf" in appended) return send(ws, { type: SERVER.ack, clientId, seq: appended.repeatOf, duplicate: true });
		this.sendRate.spend(actor.id);
		// A message ends a burst of typing: the next keystroke may say so again at once.
		this.lastTyping.delete(actor.id);
		this.publish(appended);
		send(ws, { type: SERVER.ack, clientId, seq: appended.event.seq, duplicate: false });
	}

	private async onLeave(actor: Actor, now: number): Promise<void> {
		const record = this.record;
		if (!record || !this.roster.leave(actor.id)) return;
		this.append({ type: "left" }, actor, now);
		if (actor.role === "agent" && !this.roster.anyPresent("agent") && record.startedAt !== null) {
			// The chat is no longer tied to an agent: wait for the customer, then route them back.
			record.agentWaitEndsAt = Math.min(now + record.disconnectWaitMs, record.chatEndsAt ?? Number.POSITIVE_INFINITY);
			record.previousAgent = actor.name;
			this.append({ type: "agent_away", waitUntil: record.agentWaitEndsAt }, actor, now);
		}
		for (const socket of this.ctx.getWebSockets(actor.id)) socket.close(1000, "left the chat");
		this.sockets = null;
		await this.statusMayHaveChanged(now);
	}

	// ---- lifecycle ----------------------------------------------------------------------------

	/**
	 * Applies every deadline that has passed (an alarm may be late, early or repeated, so each use
	 * checks too), retries an unwritten transcript, and re-arms the alarm.
	 */
	private async settle(now = Date.now()): Promise<SessionRecord | null> {
		const record = this.record;
		if (!record) return null;
		if (!isTerminal(record)) {
			if (record.status === "pending" && now >= record.keyExpiresAt) await this.finish("key_expired", null, now);
			else if (record.chatEndsAt !== null && now >= record.chatEndsAt) await this.finish("time_limit", null, now);
			else if (record.agentWaitEndsAt !== null && now >= record.agentWaitEndsAt) await this.finish("no_return", null, now);
		} else if (!record.transcriptWritten && record.transcriptRetryAt !== null && now >= record.transcriptRetryAt) {
			await this.writeTranscript(record);
		}
		if (record.reportRetryAt !== null && now >= record.reportRetryAt) {
			// The last report did not arrive (or the object died before it knew): send the status as it is now.
			this.armReport(now, true);
			await this.commit();
			this.sendReport();
		}
		return record;
	}

	private dueDeadline(record: SessionRecord, now: number): boolean {
		return pendingDeadlines(record).some((at) => at <= now);
	}

	/** Ends the chat once: a system event for everyone, sockets closed, transcript to R2. */
	private async finish(reason: EndReason, actor: Actor | null, now: number): Promise<void> {
		const record = this.record;
		if (!record || isTerminal(record)) return;
		if (reason === "resolved") this.append({ type: "case_resolved" }, actor, now);
		this.append({ type: "chat_ended", reason }, actor, now);
		record.status = statusAfterEnd(reason);
		record.endReason = reason;
		record.endedAt = now;
		record.agentWaitEndsAt = null;
		// Armed before the write is tried: if the object dies on the way, the alarm still writes it.
		record.transcriptRetryAt = now + TRANSCRIPT_RETRY_MS;
		this.armReport(now);
		await this.commit();
		for (const socket of this.ctx.getWebSockets()) socket.close(1000, "chat ended");
		this.sockets = null;
		await this.writeTranscript(record);
		this.sendReport();
	}

	private async writeTranscript(record: SessionRecord): Promise<void> {
		const body = buildTranscript(record, this.roster.all(), this.log.jsonAfter(0, Number.MAX_SAFE_INTEGER));
		try {
			await this.env.ARCHIVE.put(transcriptKey(record.caseId, record.sessionId), body, {
				httpMetadata: { contentType: "application/json" },
			});
			record.transcriptWritten = true;
			record.transcriptRetryAt = null;
		} catch (error) {
			console.error("transcript write failed, will retry", error);
			record.transcriptRetryAt = Date.now() + TRANSCRIPT_RETRY_MS;
		}
		await this.commit();
	}

	private async statusMayHaveChanged(now: number): Promise<void> {
		const record = this.record;
		if (!record) return;
		const next: SessionStatus = isTerminal(record)
			? record.status
			: record.startedAt === null
				? "pending"
				: this.roster.anyPresent("agent")
					? "active"
					: "waiting";
		const changed = next !== record.status;
		record.status = next;
		const report = changed || this.queued() !== this.reportedQueued;
		if (report) this.armReport(now);
		await this.commit();
		if (changed) this.broadcastPresence();
		if (report) this.sendReport();
	}

	/**
	 * In the agents' queue: the customer is in the chat and no agent is. While the agent who left
	 * waits for the customer to come back, the chat stays out of the queue.
	 */
	private queued(): boolean {
		const record = this.record;
		return record?.status === "waiting" && record.agentWaitEndsAt === null && this.roster.get("customer")?.present === true;
	}

	/**
	 * Before a report is sent, a check is armed and committed with the change it reports: if the
	 * report is lost (the directory failed, the object died), the alarm sends the session's status again.
	 */
	private armReport(now: number, resend = false): void {
		const record = this.record;
		if (!record) return;
		record.reportRetries = resend ? record.reportRetries + 1 : 0;
		if (!resend) record.reportChangedAt = now;
		record.reportRetryAt = now + Math.min(REPORT_CHECK_MS * 2 ** record.reportRetries, REPORT_CHECK_MAX_MS);
		this.reportsArmed += 1;
	}

	/**
	 * Keeps the case directory (case list, queue) in step, without holding up whoever caused the
	 * change: reports may cross on the way, and each carries the log's last sequence number so the
	 * directory keeps the newest.
	 */
	private sendReport(): void {
		const record = this.record;
		if (!record) return;
		const queued = this.queued();
		this.reportedQueued = queued;
		const armed = this.reportsArmed;
		this.reportUnderWay = directoryOf(this.env)
			.sessionChanged({
				sessionId: record.sessionId,
				caseId: record.caseId,
				status: record.status,
				queued,
				at: record.reportChangedAt ?? Date.now(),
				previousAgent: record.previousAgent,
				version: this.log.lastSeq,
			})
			.then(async () => {
				// A change armed after this report was sent is not in it, and keeps its check.
				if (armed !== this.reportsArmed || record.reportRetryAt === null) return;
				record.reportRetryAt = null;
				record.reportRetries = 0;
				await this.commit();
			})
			.catch((error: unknown) => {
				console.error("directory update failed, will retry", error);
			});
		this.ctx.waitUntil(this.reportUnderWay);
	}

	/** Saves the record and arms the one alarm for the earliest deadline still pending. */
	private async commit(): Promise<void> {
		const record = this.record;
		if (!record) return;
		this.records.save(record);
		const deadlines = pendingDeadlines(record);
		const fileDue = this.files.nextDue();
		if (fileDue !== null) deadlines.push(fileDue);
		if (deadlines.length === 0) await this.ctx.storage.deleteAlarm();
		else await this.ctx.storage.setAlarm(Math.min(...deadlines));
	}

	// ---- fan-out ------------------------------------------------------------------------------

	/** Numbers, stores and fans out one event. */
	private append(body: EventBody, actor: Actor | null, at: number): void {
		this.publish(this.log.append(body, actor, at));
	}

	/** Fans out a stored event, encoded once for everyone. */
	private publish({ json, customerJson }: Appended): void {
		const frame = eventsFrame(json);
		if (customerJson === null) return this.broadcast(frame);
		const forCustomers = eventsFrame(customerJson);
		this.sockets ??= this.ctx.getWebSockets();
		for (const ws of this.sockets) trySend(ws, this.actorOf(ws)?.role === "agent" ? frame : forCustomers);
	}

	private replay(ws: WebSocket, role: Role, since: number): void {
		for (let after = since; ; ) {
			const batch = this.log.jsonAfter(after, LIMITS.backlogBatch, role);
			if (batch.length === 0) return;
			ws.send(eventsFrame(batch.join(",")));
			after += batch.length;
			if (batch.length < LIMITS.backlogBatch) return;
		}
	}

	private broadcast(frame: string, except?: WebSocket): void {
		this.sockets ??= this.ctx.getWebSockets();
		for (const ws of this.sockets) if (ws !== except) trySend(ws, frame);
	}

	private broadcastPresence(closing?: WebSocket): void {
		const status = this.record?.status ?? "pending";
		const frame: ServerFrame = { type: SERVER.presence, participants: this.participants(closing), status, deadlines: this.deadlines() };
		this.broadcast(JSON.stringify(frame), closing);
	}

	private participants(closing?: WebSocket): ParticipantView[] {
		return this.roster.all().map((m) => ({
			id: m.id,
			role: m.role,
			name: m.name,
			online: this.ctx.getWebSockets(m.id).some((ws) => ws !== closing),
			present: m.present,
			lastReadSeq: m.lastReadSeq,
		}));
	}

	private state(): SessionState {
		const r = this.record;
		if (!r) throw new Error("state of a session that does not exist");
		return {
			sessionId: r.sessionId,
			case: { caseId: r.caseId, subject: r.subject, severity: r.severity },
			status: r.status,
			participants: this.participants(),
			lastSeq: this.log.lastSeq,
			deadlines: this.deadlines(),
			endReason: r.endReason,
			previousAgent: r.previousAgent,
		};
	}

	/** The deadlines clients show; they change with the status, so presence frames carry them too. */
	private deadlines(): SessionState["deadlines"] {
		const r = this.record;
		if (!r) return { keyExpiresAt: null, chatEndsAt: null, agentWaitEndsAt: null };
		return {
			keyExpiresAt: r.status === "pending" ? r.keyExpiresAt : null,
			chatEndsAt: isTerminal(r) ? null : r.chatEndsAt,
			agentWaitEndsAt: r.agentWaitEndsAt,
		};
	}

	private actorOf(ws: WebSocket): Actor | null {
		const cached = this.actors.get(ws);
		if (cached) return cached;
		const parsed = ActorSchema.safeParse(ws.deserializeAttachment());
		if (!parsed.success) return null;
		this.actors.set(ws, parsed.data);
		return parsed.data;
	}

	// ---- files (to move into commands after the reshape) ------------------------------------------
	// The Worker authenticates and streams the bytes; these decide (src/files/session-files.ts).

	async fileStart(actor: Actor, request: StartUpload): Promise<Upload | FileRefusal> {
		const host = await this.liveFileHost();
		return host ? this.files.start(host, actor, request, Date.now()) : NO_SESSION;
	}

	async filePartTarget(actor: Actor, fileId: string, part: number): Promise<PartTarget | FileRefusal> {
		const host = await this.liveFileHost();
		return host ? this.files.partTarget(host, actor, fileId, part) : NO_SESSION;
	}

	async filePartStored(actor: Actor, fileId: string, part: number, etag: string): Promise<Upload | FileRefusal> {
		const host = this.fileHost();
		return host ? this.files.partStored(host, actor, fileId, part, etag, Date.now()) : NO_SESSION;
	}

	async fileComplete(actor: Actor, fileId: string): Promise<Upload | FileRefusal> {
		const host = await this.liveFileHost();
		return host ? this.files.complete(host, actor, fileId, Date.now()) : NO_SESSION;
	}

	async fileAbort(actor: Actor, fileId: string): Promise<FileRefusal | null> {
		const host = this.fileHost();
		return host ? this.files.abort(host, actor, fileId) : NO_SESSION;
	}

	async fileDownloadable(actor: Actor, fileId: string): Promise<Downloadable | FileRefusal> {
		const host = await this.liveFileHost();
		return host ? this.files.downloadable(host, actor, fileId) : NO_SESSION;
	}

	/** The session as files see it, after any deadline that has passed was applied. */
	private async liveFileHost(): Promise<FileHost | null> {
		await this.settle();
		return this.fileHost();
	}

	private fileHost(): FileHost | null {
		const record = this.record;
		if (!record) return null;
		return {
			caseId: record.caseId,
			sessionId: record.sessionId,
			live: () => !isTerminal(record),
			present: (id) => this.roster.get(id)?.present === true,
			post: (body, actor, at) => {
				const appended = this.log.append(body, actor, at);
				this.publish(appended);
				return appended.event.seq;
			},
			rearm: () => this.commit(),
			waitUntil: (work) => this.ctx.waitUntil(work),
		};
	}

}

function parseActorHeader(value: string | null): Actor | null {
	if (!value) return null;
	try {
		const parsed = ActorSchema.safeParse(JSON.parse(value));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

function eventsFrame(eventsJson: string): string {
	return `{"type":"${SERVER.events}","events":[${eventsJson}]}`;
}

function trySend(ws: WebSocket, frame: string): void {
	try {
		ws.send(frame);
	} catch {
		// A socket that is closing misses live frames; its client resumes from its last seq.
	}
}

function send(ws: WebSocket, frame: ServerFrame): void {
	ws.send(JSON.stringify(frame));
}
