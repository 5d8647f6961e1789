/**
 * One chat session: its event log, its participants, its deadlines and its live sockets. Reached
 * only through the Worker, which checks tokens and origins first. Every entry point (RPC, socket,
 * alarm) only translates what arrives into a command; `decide` (commands.ts) says what it changes,
 * and `execute` applies that in one SQLite step together with the outbox rows for its effects,
 * then fans the events out and drains the outbox. Sockets are hibernatable: whatever a socket
 * needs after a wake is in its attachment or in SQLite.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { Actor, EventBody, ServerFrame, SessionState } from "../shared/protocol";
import { CLIENT, LIMITS, ROLES, SERVER, isFrameProblem, isFrameTooLarge, parseClientFrame } from "../shared/protocol";
import { CHAT_SUBPROTOCOL } from "../shared/socket-auth";
import { secretsEqual } from "../security/random";
import { directoryOf, sessionOf } from "../bindings";
import { socketPair } from "../http/socket-pair";
import { jsonError } from "../http/json-error";
import { Connections } from "../sockets/connections";
import type { Clock } from "./clock";
import { systemClock } from "./clock";
import type { Command, Decision } from "./commands";
import { CUSTOMER_ID, decide } from "./commands";
import type { Admission, CustomerProof, EndRequest, Invitation, SessionInit } from "./contract";
import { ACTOR_HEADER } from "./contract";
import type { EffectPorts } from "./effects";
import { coalesceKey, effectOf } from "./effects";
import { FanOut } from "./fan-out";
import { OutboxDrain } from "./outbox-drain";
import type { Appended } from "./event-log";
import { EventLog } from "./event-log";
import { isTerminal, pendingDeadlines, visibleDeadlines } from "./lifecycle";
import { Outbox } from "./outbox";
import { permit } from "./policy";
import { Roster } from "./roster";
import type { SessionRecord } from "./session-record";
import { RecordStore, newRecord } from "./session-record";
import { FrameCommands } from "./frame-commands";
import { buildTranscript } from "./transcript";
import { readConfig } from "../config";
import type { StartUpload, Upload } from "../shared/files";
import type { Completion, Downloadable, FileRefusal, PartTarget, Started } from "../files/contract";
import { removeStored } from "../files/r2-cleanup";
import { scanFile } from "../files/scanner";
import type { SessionFacts } from "../files/session-files";
import { SessionFiles } from "../files/session-files";

const ActorSchema = z.object({ id: z.string(), role: z.enum(ROLES), name: z.string() });

const NO_SESSION: FileRefusal = { refused: 404, error: "no such session" };
const PING = JSON.stringify({ type: CLIENT.ping });
const PONG = JSON.stringify({ type: SERVER.pong });

export class ChatSession extends DurableObject<Env> {
	/** Where every decision takes the time from; tests move it forward on a live object. */
	clock: Clock = systemClock;
	/** What effects are carried out with; tests hand in a failing R2 or directory here. */
	readonly ports: EffectPorts;
	private readonly records: RecordStore;
	private readonly log: EventLog;
	private readonly roster: Roster;
	private readonly outbox: Outbox;
	private readonly sockets: Connections<Actor>;
	private record: SessionRecord | null;
	private readonly frames: FrameCommands;
	private readonly outboxDrain: OutboxDrain;
	private readonly fanOut: FanOut;
	private readonly files: SessionFiles;
	/** The alarm as this instance last set it; undefined when unknown (after a wake, or once it fired). */
	private alarmAt: number | null | undefined;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		const sql = ctx.storage.sql;
		this.records = new RecordStore(sql);
		this.log = new EventLog(sql);
		this.roster = new Roster(sql);
		this.outbox = new Outbox(sql);
		this.sockets = new Connections(ctx, (raw) => {
			const parsed = ActorSchema.safeParse(raw);
			return parsed.success ? parsed.data : null;
		});
		this.record = this.records.load();
		this.files = new SessionFiles(sql, () => readConfig(env).files);
		this.ports = {
			archive: env.ARCHIVE,
			reportToDirectory: (change) => directoryOf(env).sessionChanged(change),
			liveSessionsOf: (caseId) => directoryOf(env).liveSessionsOf(caseId),
			endSession: async (sessionId, actor) => {
				await sessionOf(env, sessionId).end(actor, "resolved");
			},
			scanFile: (fileId) => this.scan(fileId),
			removeFile: (key, multipartId) => removeStored(env.ARCHIVE, key, multipartId),
		};
		this.frames = new FrameCommands(this.log);
		this.fanOut = new FanOut(this.sockets, this.log, this.roster);
		this.outboxDrain = new OutboxDrain(this.outbox, this.ports, () => this.clock, () => this.transcript(), () => this.armAlarm());
		// Keep-alives are answered by the runtime without waking a hibernating object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
	}

	// ---- RPC from the Worker ------------------------------------------------------------------

	/** Creates the session; calling it again with the same session changes nothing. */
	async open(init: SessionInit): Promise<void> {
		if (this.record) return;
		this.record = newRecord(init);
		this.records.save(this.record);
		await this.armAlarm();
	}

	async admitCustomer(proof: CustomerProof): Promise<Admission> {
		const record = this.record;
		if (!record) return { ok: false, reason: "unknown" };
		if ("inviteSecret" in proof && !(await secretsEqual(proof.inviteSecret, record.inviteSecret))) return { ok: false, reason: "unknown" };
		const actor: Actor = { id: CUSTOMER_ID, role: "customer", name: record.customerName };
		const decision = this.execute(actor, { type: "admit_customer", via: "inviteSecret" in proof ? "link" : "key" });
		return this.admission(decision, actor);
	}

	/** An agent joins; an ended session admits agents to read it, without joining them. */
	async admitAgent(actor: Actor): Promise<Admission> {
		if (!this.record) return { ok: false, reason: "unknown" };
		const decision = this.execute(actor, { type: "admit_agent" });
		// The agent's console reads the case list next.
		await this.outboxDrain.drained();
		return this.admission(decision, actor);
	}

	async end(actor: Actor | null, reason: EndRequest): Promise<SessionState | null> {
		if (!this.record) return null;
		this.execute(actor, { type: "end", reason });
		// The agent's console reads the case list next.
		await this.outboxDrain.drained();
		return this.state();
	}

	/** A newer session of the same case replaced this one: its unused key no longer starts a chat. True if it was retired now. */
	async retire(): Promise<boolean> {
		if (!this.record) return false;
		const decision = this.execute(null, { type: "retire" });
		await this.outboxDrain.drained();
		return decision.record.endReason === "key_replaced" && decision.statusChanged;
	}

	async describe(): Promise<SessionState | null> {
		if (!this.record) return null;
		this.execute(null, { type: "tick" });
		return this.state();
	}

	/** What an invite for this session carries; null once nobody can be invited any more. */
	async invitation(): Promise<Invitation | null> {
		if (!this.record) return null;
		const { record } = this.execute(null, { type: "tick" });
		if (isTerminal(record)) return null;
		const keyLive = this.clock() < record.keyExpiresAt;
		return { caseId: record.caseId, supportKey: record.supportKey, inviteSecret: record.inviteSecret, keyExpiresAt: keyLive ? record.keyExpiresAt : null };
	}

	/** Appends an event that happened outside the chat (an invite sent); customers see it without recipients or details. */
	async note(body: EventBody, actor: Actor): Promise<boolean> {
		if (!this.record) return false;
		return this.execute(actor, { type: "note", body }).error === null;
	}

	// ---- WebSockets ---------------------------------------------------------------------------

	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const actor = parseActorHeader(request.headers.get(ACTOR_HEADER));
		if (!actor) return jsonError(400, "missing participant");
		const since = Number(new URL(request.url).searchParams.get("since") ?? "0");
		if (!Number.isSafeInteger(since) || since < 0) return jsonError(400, "since must be a whole number of at least 0");
		if (!this.record) return jsonError(404, "no such session");
		const { record } = this.execute(null, { type: "tick" });
		const finished = isTerminal(record);
		if (!permit(actor.role, "watch", { present: this.roster.get(actor.id)?.present === true, finished }).ok) {
			return jsonError(403, "you are not in this chat: join again with your invite link");
		}

		const { client, server } = socketPair();
		this.sockets.accept(server, [actor.id, actor.role], actor);
		send(server, { type: SERVER.state, state: this.state(), you: actor });
		this.fanOut.replay(server, actor, since);
		if (finished) server.close(1000, "chat ended");
		else this.fanOut.presence(record);
		// The Worker let only clients that offered the chat's subprotocol through; the token they offered with it is not echoed.
		return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": CHAT_SUBPROTOCOL } });
	}

	override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
		const actor = this.sockets.attachmentOf(ws);
		if (!actor) return ws.close(1008, "unknown participant");
		if (typeof data !== "string") return send(ws, { type: SERVER.error, code: "not_text", message: "frames are JSON text: binary frames are not accepted" });
		if (isFrameTooLarge(data)) {
			// Over the limit: the socket goes, and the sender's message allowance with it.
			this.frames.oversized(actor.id, this.clock());
			return ws.close(1009, `frames are limited to ${LIMITS.maxFrameBytes} bytes`);
		}
		const frame = parseClientFrame(data);
		if (isFrameProblem(frame)) return send(ws, { type: SERVER.error, code: frame.code, message: frame.message });
		if (frame.type === CLIENT.ping) return send(ws, { type: SERVER.pong });
		if (!this.record) return ws.close(1011, "session missing");
		const returning = actor.role === "customer" && this.record.agentWaitEndsAt !== null;
		const command = this.frames.commandOf(actor, frame, this.clock(), returning);
		const decision = this.execute(actor, command, ws);
		if (decision.error) return send(ws, { type: SERVER.error, ...decision.error });
	}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		this.sockets.closed(ws, code, reason);
		if (this.record) this.fanOut.presence(this.record, ws);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		this.sockets.closed(ws, 1011, "socket error");
		if (this.record) this.fanOut.presence(this.record, ws);
	}

	override async alarm(): Promise<void> {
		// The alarm that fired is spent: whatever is still pending is armed anew.
		this.alarmAt = undefined;
		if (this.record) {
			this.execute(null, { type: "tick" });
			for (const upload of this.files.abandoned(this.clock())) this.discardFile(upload.file_id, upload.r2_key, upload.multipart_id);
		}
		await this.outboxDrain.drain();
		// A try the alarm started is part of its work: done, or its next try armed, before it returns.
		await this.outboxDrain.drained();
		await this.armAlarm();
	}

	// ---- commands -----------------------------------------------------------------------------

	/**
	 * Decides a command and applies the decision: the record, the roster, the events and the outbox
	 * rows for its effects are written in one SQLite step, so a change and what it must cause are
	 * never apart. Then the sockets hear of it and the outbox is drained. `also` records, in the
	 * same step, what a decision that was not refused means beyond the log (a file's new state).
	 */
	private execute(actor: Actor | null, command: Command, sender?: WebSocket, also?: () => void): Decision {
		const before = this.record;
		if (!before) throw new Error("a command for a session that does not exist");
		const now = this.clock();
		const decision = decide({ record: before, members: this.roster.facts(), lastSeq: this.log.lastSeq }, actor, command, now);
		const appended: Appended[] = [];
		let ack: { clientId: string; seq: number; duplicate: boolean } | null =
			decision.repeatOf !== null && command.type === "message" ? { clientId: command.clientId, seq: decision.repeatOf, duplicate: true } : null;
		this.ctx.storage.transactionSync(() => {
			for (const member of decision.enter) this.roster.enter(member, now);
			for (const id of decision.leave) this.roster.leave(id);
			if (decision.read) this.roster.markRead(decision.read.participantId, decision.read.seq);
			for (const { body, actor: by } of decision.events) {
				if (body.type === "message" && by) {
					const written = this.log.appendMessage(by, body.clientId, body.text, now);
					if ("repeatOf" in written) ack = { clientId: body.clientId, seq: written.repeatOf, duplicate: true };
					else {
						appended.push(written);
						ack = { clientId: body.clientId, seq: written.event.seq, duplicate: false };
					}
				} else appended.push(this.log.append(body, by, now));
			}
			if (decision.record !== before) this.records.save(decision.record);
			for (const intent of decision.effects) {
				const effect = effectOf(intent, { record: decision.record, presence: this.roster.presence(), version: this.log.lastSeq, actor, now });
				this.outbox.put(JSON.stringify(effect), now, coalesceKey(effect));
			}
			if (also && decision.error === null && decision.refusal === null) also();
		});
		this.record = decision.record;

		if (ack && actor && !ack.duplicate) this.frames.sent(actor.id);
		for (const event of appended) this.fanOut.publish(event);
		if (ack && sender) send(sender, { type: SERVER.ack, ...ack });
		for (const { frame, exceptSender } of decision.signals) this.sockets.broadcast(JSON.stringify(frame), exceptSender ? sender : undefined);
		for (const { participantId, code, reason } of decision.close) this.sockets.close(participantId, code, reason);
		if (decision.statusChanged) this.fanOut.presence(decision.record);
		if (decision.effects.size > 0) this.ctx.waitUntil(this.outboxDrain.drain());
		else if (decision.record !== before) this.ctx.waitUntil(this.armAlarm());
		return decision;
	}

	private admission(decision: Decision, actor: Actor): Admission {
		if (decision.refusal) return { ok: false, reason: decision.refusal };
		const { record } = decision;
		return { ok: true, actor, caseId: record.caseId, inviteSecret: record.inviteSecret };
	}

	/** Arms the one alarm for the earliest deadline still pending or outbox retry; touches storage only when that moved. */
	private async armAlarm(): Promise<void> {
		const record = this.record;
		const candidates = record ? pendingDeadlines(record) : [];
		const retry = this.outbox.nextAt();
		if (retry !== null) candidates.push(retry);
		const abandoned = this.files.nextDue();
		if (abandoned !== null) candidates.push(abandoned);
		const at = candidates.length === 0 ? null : Math.min(...candidates);
		if (at === this.alarmAt) return;
		this.alarmAt = at;
		if (at === null) await this.ctx.storage.deleteAlarm();
		else await this.ctx.storage.setAlarm(at);
	}

	private transcript(): string {
		const record = this.record;
		if (!record || !isTerminal(record)) throw new Error("a transcript is written once the chat has ended");
		return buildTranscript(record, this.roster.all(), this.log.jsonAfter(0, Number.MAX_SAFE_INTEGER));
	}

	// ---- files ---------------------------------------------------------------------------------
	// The Worker authenticates and moves the bytes (routes/files.ts); the session decides and
	// records (src/files/session-files.ts). Posting a file, a scanner's verdict and removing what
	// R2 holds of a file are commands; removals and scans are outbox effects.

	async fileStart(actor: Actor, request: StartUpload): Promise<Started | FileRefusal> {
		const facts = this.fileFacts();
		if (!facts) return NO_SESSION;
		const started = this.files.start(actor, request, facts, this.clock());
		await this.armAlarm();
		return started;
	}

	async fileMultipart(actor: Actor, fileId: string, multipartId: string): Promise<{ spare: boolean } | FileRefusal> {
		return this.files.multipart(actor, fileId, multipartId);
	}

	async filePartTarget(actor: Actor, fileId: string, part: number): Promise<PartTarget | FileRefusal> {
		const facts = this.fileFacts();
		return facts ? this.files.partTarget(actor, fileId, part, facts) : NO_SESSION;
	}

	async filePartStored(actor: Actor, fileId: string, part: number, etag: string): Promise<Upload | FileRefusal> {
		if (!this.record) return NO_SESSION;
		const stored = this.files.partStored(actor, fileId, part, etag, this.clock());
		if (!("cancelled" in stored)) {
			await this.armAlarm();
			return stored;
		}
		// Cancelled while this part was on its way: what it stored must not outlive the cancel.
		this.discardFile(stored.cancelled.file_id, stored.cancelled.r2_key, stored.cancelled.multipart_id);
		return { refused: 410, error: "this upload was cancelled" };
	}

	async fileCompletion(actor: Actor, fileId: string): Promise<Completion | FileRefusal> {
		const facts = this.fileFacts();
		return facts ? this.files.completion(actor, fileId, facts) : NO_SESSION;
	}

	/** The Worker completed the file in R2 and found `storedSize` bytes there: the file is posted, once. */
	async fileCompleted(actor: Actor, fileId: string, storedSize: number): Promise<Upload | FileRefusal> {
		if (!this.fileFacts()) return NO_SESSION;
		const row = this.files.get(fileId);
		if (!row || row.actor.id !== actor.id) return { refused: 404, error: "no such file" };
		if (row.state !== "uploading") return this.files.view(row);
		if (storedSize !== row.size) return { refused: 409, error: "the stored file is not the size that was announced: send it again" };
		const body = this.files.eventOf(row);
		const decision = this.execute(actor, { type: "file", body }, undefined, () => this.files.posted(fileId, body.checking, this.log.lastSeq));
		if (decision.error) return { refused: decision.error.code === "forbidden" ? 403 : 409, error: decision.error.message };
		const posted = this.files.get(fileId);
		return posted ? this.files.view(posted) : { refused: 404, error: "no such file" };
	}

	/** Cancels an unfinished upload (the sender's cancel, or content that failed the check): nothing of it stays. */
	async fileCancel(actor: Actor, fileId: string): Promise<FileRefusal | null> {
		if (!this.record) return NO_SESSION;
		const row = this.files.cancellable(actor, fileId);
		if (row === null || "refused" in row) return row;
		this.discardFile(row.file_id, row.r2_key, row.multipart_id);
		return null;
	}

	async fileDownloadable(actor: Actor, fileId: string): Promise<Downloadable | FileRefusal> {
		const facts = this.fileFacts();
		return facts ? this.files.downloadable(actor, fileId, facts) : NO_SESSION;
	}

	/** The session as its files see it, once whatever deadline is due has been applied. */
	private fileFacts(): SessionFacts | null {
		if (!this.record) return null;
		const { record } = this.execute(null, { type: "tick" });
		return { caseId: record.caseId, sessionId: record.sessionId, finished: isTerminal(record), present: (id) => this.roster.get(id)?.present === true };
	}

	private discardFile(fileId: string, key: string, multipartId: string | null): void {
		this.execute(null, { type: "discard_file", key, multipartId }, undefined, () => this.files.settled(fileId, "aborted"));
	}

	/** The scan effect: the file to the scanner, its verdict (or the deployment's rule, without one) decided as a command. */
	private async scan(fileId: string): Promise<void> {
		const row = this.files.get(fileId);
		if (row?.state !== "checking") return;
		const limits = readConfig(this.env).files;
		const object = limits.scannerUrl ? await this.env.ARCHIVE.get(row.r2_key) : null;
		const verdict = limits.scannerUrl && object ? await scanFile(limits.scannerUrl, { fileId, contentType: row.content_type, body: object.body, size: row.size }, limits.scanTimeoutMs) : "no_answer";
		// The first verdict counts: a scan run again after a death finds the file settled.
		if (this.files.get(fileId)?.state !== "checking") return;
		const release = verdict === "clean" || (verdict === "no_answer" && limits.scanTimeoutRule === "release");
		this.execute(null, { type: "file_verdict", fileId, release, scanned: verdict !== "no_answer", key: row.r2_key }, undefined, () => this.files.settled(fileId, release ? "ready" : "blocked"));
	}

	// ---- views -------------------------------------------------------------------------------

	private state(): SessionState {
		const r = this.record;
		if (!r) throw new Error("state of a session that does not exist");
		return {
			sessionId: r.sessionId,
			case: { caseId: r.caseId, subject: r.subject, severity: r.severity },
			status: r.status,
			participants: this.fanOut.participants(),
			lastSeq: this.log.lastSeq,
			deadlines: visibleDeadlines(r),
			endReason: r.endReason,
			previousAgent: r.previousAgent,
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

function send(ws: WebSocket, frame: ServerFrame): void {
	ws.send(JSON.stringify(frame));
}
