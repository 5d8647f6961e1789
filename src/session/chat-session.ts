/**
 * One chat session: its event log, its participants, its deadlines and its live sockets. Reached
 * only through the Worker, which checks tokens and origins first. Every entry point (RPC, socket,
 * alarm) only translates what arrives into a command; `decide` (commands.ts) says what it changes,
 * and `execute` applies that in one SQLite step together with the outbox rows for its effects,
 * then fans the events out and drains the outbox. Sockets are hibernatable: whatever a socket
 * needs after a wake is in its attachment or in SQLite.
 */
import { DurableObject } from "cloudflare:workers";
import type { Actor, EventBody, ServerFrame, SessionState } from "../shared/protocol";
import { CLIENT, LIMITS, SERVER, isFrameProblem, isFrameTooLarge, parseClientFrame } from "../shared/protocol";
import { REFUSALS } from "../shared/refusals";
import { CHAT_SUBPROTOCOL } from "../shared/socket-auth";
import { randomId128, secretsEqual } from "../security/random";
import { socketPair } from "../http/socket-pair";
import { jsonError } from "../http/json-error";
import { Connections, trySend } from "../sockets/connections";
import type { Clock } from "./clock";
import { systemClock } from "./clock";
import type { Command, Decision, EffectIntent } from "./commands";
import { decide } from "./commands";
import type { Admission, CustomerProof, EndRequest, Invitation, SessionInit } from "./contract";
import { ACTOR_HEADER, ActorSchema, CUSTOMER_ID, socketActorOf } from "./contract";
import type { EffectPorts } from "./effects";
import { platformPorts } from "./platform-ports";
import { FanOut } from "./fan-out";
import { OutboxDrain } from "./outbox-drain";
import { isTerminal, pendingDeadlines, stateOf } from "./lifecycle";
import { bringsChatBack, permit } from "./policy";
import type { SessionRecord } from "./session-record";
import { newRecord } from "./session-record";
import { SessionStore } from "./session-store";
import { FrameCommands } from "./frame-commands";
import { buildTranscript } from "./transcript";
import type { SessionSummary, TransferAsk, TransferOutcome } from "./contract";
import { summaryOf } from "./session-summary";
import { readConfig } from "../config";
import type { StartUpload, Upload } from "../shared/files";
import type { Completion, Downloadable, FileCaller, FileRefusal, PartTarget, Started } from "../files/contract";
import { FileCalls } from "./file-calls";
import type { SessionRouting } from "../routing/contract";
import type { LinkView, MakeLink, People } from "../shared/api";
import { MemberDoor } from "./member-door";
import { meterSql } from "../metering/sql-meter";


/** How long an agent's call waits for the directory to hear of its change before answering anyway. */
const CONSOLE_WAIT_MS = 5_000;
const PING = JSON.stringify({ type: CLIENT.ping });
const PONG = JSON.stringify({ type: SERVER.pong });

export class ChatSession extends DurableObject<Env> {
	/** Where every decision takes the time from; tests move it forward on a live object. */
	clock: Clock = systemClock;
	/** What effects are carried out with; tests hand in a failing R2 or directory here. */
	readonly ports: EffectPorts;
	private readonly store: SessionStore;
	private readonly sockets: Connections<Actor>;
	private record: SessionRecord | null;
	private readonly frames: FrameCommands;
	private readonly outboxDrain: OutboxDrain;
	private readonly fanOut: FanOut;
	private readonly fileCalls: FileCalls;
	private readonly members: MemberDoor;
	/** The alarm as this instance last set it; undefined when unknown (after a wake, or once it fired). */
	private alarmAt: number | null | undefined;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterSql(ctx, env, "ChatSession");
		this.store = new SessionStore(ctx.storage);
		this.sockets = new Connections(ctx, (raw) => {
			const parsed = ActorSchema.safeParse(raw);
			return parsed.success ? parsed.data : null;
		});
		const loaded = this.store.records.load();
		this.record = loaded?.record ?? null;
		this.ports = platformPorts(
			env,
			(fileId) => this.fileCalls.scan(fileId),
			() => this.record?.routing,
		);
		this.fileCalls = new FileCalls({
			sql: ctx.storage.sql,
			archive: env.ARCHIVE,
			limits: () => readConfig(env).files,
			now: () => this.clock(),
			current: () => (this.record ? this.execute(null, { type: "tick" }).record : null),
			deviceLive: (deviceId, actorId) => this.store.devices.live(deviceId, actorId),
			present: (id) => this.store.roster.get(id)?.present === true,
			execute: (actor, command, also) => this.execute(actor, command, undefined, also),
			lastSeq: () => this.store.log.lastSeq,
			armAlarm: () => this.armAlarm(),
		});
		this.frames = new FrameCommands(this.store.log, this.store.revisions);
		this.fanOut = new FanOut(this.sockets, this.store.log, this.store.roster, this.store.people);
		this.members = new MemberDoor({
			store: this.store,
			record: () => this.record,
			now: () => this.clock(),
			execute: (actor, command) => this.execute(actor, command),
			deviceOnline: (deviceId) => this.sockets.tagged(`device:${deviceId}`).length > 0,
			online: (participantId) => this.sockets.tagged(participantId).length > 0,
		});
		this.outboxDrain = new OutboxDrain(this.store.outbox, this.ports, () => this.clock, () => this.transcript(), () => this.armAlarm());
		if (loaded && loaded.legacyRetries.length > 0) this.adoptLegacyRetries(loaded.legacyRetries);
		// Keep-alives are answered by the runtime without waking a hibernating object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
	}

	// ---- RPC from the Worker ------------------------------------------------------------------

	/** Creates the session; calling it again with the same session changes nothing. */
	async open(init: SessionInit): Promise<void> {
		if (this.record) return;
		this.record = newRecord(init);
		this.store.records.save(this.record);
		await this.armAlarm();
	}

	async admitCustomer(proof: CustomerProof): Promise<Admission> {
		const record = this.record;
		if (!record) return { ok: false, reason: "unknown" };
		const byLink = "inviteSecret" in proof;
		// The Worker checked the link's MAC, so it was issued for this session: a secret that is not the current one was reissued since.
		const current = byLink && (await secretsEqual(proof.inviteSecret, record.inviteSecret));
		// …or it is one of the links the session made since (a colleague's, another device's).
		const link = byLink && !current ? await this.members.findLink(proof.inviteSecret) : null;
		if (link && byLink) return this.members.admitByLink(link, proof.inviteSecret, randomId128());
		const actor: Actor = { id: CUSTOMER_ID, role: "customer", name: record.customerName };
		const deviceId = randomId128();
		const decision = this.execute(actor, { type: "admit_customer", via: byLink ? "link" : "key", deviceId, link: byLink ? (current ? "current" : "replaced") : null });
		return this.admission(decision, actor, deviceId);
	}

	/** An agent joins; an ended session admits agents to read it, without joining them. */
	async admitAgent(actor: Actor): Promise<Admission> {
		if (!this.record) return { ok: false, reason: "unknown" };
		const deviceId = randomId128();
		const decision = this.execute(actor, { type: "admit_agent", deviceId });
		// The agent's console reads the case list next.
		await this.outboxDrain.drained(CONSOLE_WAIT_MS);
		return this.admission(decision, actor, deviceId);
	}

	/** `cascade`: a resolve also ends the case's other live sessions; false where the caller ends them all itself. */
	async end(actor: Actor, reason: EndRequest, cascade = true): Promise<SessionState | null> {
		if (!this.record) return null;
		this.execute(actor, { type: "end", reason, cascade });
		// The agent's console reads the case list next.
		await this.outboxDrain.drained(CONSOLE_WAIT_MS);
		return this.state();
	}

	/**
	 * Another session of the case resolved it: this one ends as resolved too, by the system (no
	 * participant of another chat acts here), without resolving the case's sessions again and
	 * without waiting for its own effects, so that two sessions never wait on each other.
	 */
	async resolvedWithCase(): Promise<void> {
		if (this.record) this.execute(null, { type: "end", reason: "resolved", cascade: false });
	}

	/** A newer session of the same case replaced this one: its unused key no longer starts a chat. True if it was retired now. */
	async retire(): Promise<boolean> {
		if (!this.record) return false;
		const decision = this.execute(null, { type: "retire" });
		await this.outboxDrain.drained(CONSOLE_WAIT_MS);
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
		return {
			caseId: record.caseId,
			supportKey: record.supportKey,
			inviteSecret: record.inviteSecret,
			keyExpiresAt: keyLive ? record.keyExpiresAt : null,
		};
	}

	/** Replaces the invite link's secret with the Worker's new one; false once the chat has ended. */
	async reissueLink(actor: Actor, secret: string): Promise<boolean> {
		if (!this.record) return false;
		return this.execute(actor, { type: "reissue_link", secret }).error === null;
	}

	/** The agent signed out of the console this sign-in was: their sockets here close (their token is refused from now on). */
	async closeSignedOut(signIn: string): Promise<void> {
		this.sockets.close(`sign-in:${signIn}`, 1008, "signed out");
	}

	/** Appends an event that happened outside the chat (an invite sent); customers see it without recipients or details. */
	async note(body: EventBody, actor: Actor): Promise<boolean> {
		if (!this.record) return false;
		return this.execute(actor, { type: "note", body }).error === null;
	}

	// ---- transfer and case history (transfer.ts, routes/transfers.ts) ---------------------------

	/** Offers the chat to another agent, cancels that, answers it, or puts the chat back in the queue; the target's console has heard by the answer. */
	async transfer(actor: Actor, command: TransferAsk): Promise<TransferOutcome> {
		if (!this.record) return { ok: false, code: "unknown", message: "no such session" };
		const decision = this.execute(actor, command);
		if (decision.error) return { ok: false, code: decision.error.code, message: decision.error.message };
		await this.outboxDrain.drained(CONSOLE_WAIT_MS);
		return { ok: true, state: this.state() };
	}

	/** The session as a case's history lists it. */
	async summary(): Promise<SessionSummary | null> {
		if (!this.record) return null;
		const { record } = this.execute(null, { type: "tick" });
		return summaryOf(record, this.store.roster.all(), this.store.log);
	}

	/** The session's log in the transcript's shape, so far: what an earlier chat whose transcript is not written yet shows. */
	async logSnapshot(): Promise<string | null> {
		const record = this.record;
		return record ? buildTranscript(record, this.store.roster.all(), this.store.log.jsonAfter(0, Number.MAX_SAFE_INTEGER)) : null;
	}

	/** A message the customer left through the API (routes/chats.ts, leave a message), decided as if typed in the chat. */
	async say(actor: Actor, clientId: string, text: string): Promise<boolean> {
		if (!this.record) return false;
		return this.execute(actor, { type: "message", clientId, text, rateOk: true, resendOf: null }).error === null;
	}

	/** For a chat a customer started, its team and queue; null for an agent's. */
	async routing(): Promise<SessionRouting | null> {
		return this.record?.routing ?? null;
	}

	// ---- members and links (member-door.ts) ----------------------------------------------------

	async makeLink(caller: FileCaller, request: MakeLink, secret: string): Promise<{ link: LinkView } | FileRefusal> {
		return this.members.makeLink(caller, request, secret);
	}

	async revokeLink(caller: FileCaller, linkId: string): Promise<LinkView | FileRefusal> {
		return this.members.revokeLink(caller, linkId);
	}

	async removeMember(caller: FileCaller, participantId: string): Promise<FileRefusal | null> {
		return this.members.remove(caller, participantId);
	}

	async people(caller: FileCaller): Promise<People | FileRefusal> {
		return this.members.people(caller);
	}

	// ---- WebSockets ---------------------------------------------------------------------------

	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const verified = socketActorOf(request.headers.get(ACTOR_HEADER));
		if (!verified) return jsonError(400, "missing participant");
		const { deviceId, signIn, ...actor } = verified;
		const since = Number(new URL(request.url).searchParams.get("since") ?? "0");
		if (!Number.isSafeInteger(since) || since < 0) return jsonError(400, "since must be a whole number of at least 0");
		if (!this.record) return jsonError(404, "no such session");
		const { record } = this.execute(null, { type: "tick" });
		const finished = isTerminal(record);
		if (!permit(actor.role, "watch", { present: this.store.roster.get(actor.id)?.present === true, finished }).ok || !this.store.devices.live(deviceId, actor.id)) {
			return jsonError(403, "you are not in this chat: join again with your invite link");
		}

		const { client, server } = socketPair();
		// A finished chat's socket only replays and closes: accepted without hibernation, it is released
		// at once, where workerd would hold a hibernatable one half-open until the object hibernates.
		const firstDevice = this.sockets.tagged(actor.id).length === 0;
		if (finished) server.accept();
		else this.sockets.accept(server, [actor.id, actor.role, `device:${deviceId}`, ...(signIn === undefined ? [] : [`sign-in:${signIn}`])], actor);
		if (firstDevice && !finished) this.store.people.changed(actor.id, this.clock());
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
		this.store.people.active(actor.id, this.clock());
		const returning = bringsChatBack(actor.role) && this.record.agentWaitEndsAt !== null;
		const command = this.frames.commandOf(actor, frame, this.clock(), returning);
		const decision = this.execute(actor, command, ws);
		if (decision.error) return send(ws, { type: SERVER.error, ...decision.error });
	}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		this.sockets.closed(ws, code, reason);
		this.lastDeviceGone(ws);
		if (this.record) this.fanOut.presence(this.record, ws);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		this.sockets.closed(ws, 1011, "socket error");
		this.lastDeviceGone(ws);
		if (this.record) this.fanOut.presence(this.record, ws);
	}

	/** A socket closed: if it was its participant's last, they are gone from now. */
	private lastDeviceGone(ws: WebSocket): void {
		const actor = this.sockets.attachmentOf(ws);
		if (actor && !this.sockets.tagged(actor.id).some((other) => other !== ws)) this.store.people.changed(actor.id, this.clock());
	}

	override async alarm(): Promise<void> {
		// The alarm that fired is spent: whatever is still pending is armed anew.
		this.alarmAt = undefined;
		if (this.record) {
			this.execute(null, { type: "tick" });
			this.fileCalls.discardAbandoned();
		}
		await this.outboxDrain.drain();
		// A try the alarm started is part of its work: done, or its next try armed, before it returns.
		await this.outboxDrain.drained();
		await this.armAlarm();
	}

	/**
	 * A record written before the outbox existed kept its own retries (a transcript R2 refused, a
	 * report the directory had not confirmed): they become outbox rows once, and the record is
	 * saved without them.
	 */
	private adoptLegacyRetries(pending: EffectIntent[]): void {
		const record = this.record;
		if (!record) return;
		this.store.adopt(pending, record, this.clock());
		void this.ctx.blockConcurrencyWhile(() => this.armAlarm());
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
		const decision = decide(this.store.view(before), actor, command, now);
		const resend = decision.repeatOf !== null && command.type === "message" ? { clientId: command.clientId, seq: decision.repeatOf, duplicate: true } : null;
		const { appended, ack, revokedDevices, revokedLinkDevices } = this.store.write(decision, before, now, resend, also);
		this.record = decision.record;
		// The outbox and the alarm first: nothing the sockets do below may keep an effect waiting.
		if (decision.effects.size > 0) this.ctx.waitUntil(this.outboxDrain.drain());
		else if (decision.record !== before) this.ctx.waitUntil(this.armAlarm());

		if (ack && actor && !ack.duplicate) this.frames.sent(actor.id);
		for (const event of appended) this.fanOut.publish(event);
		if (ack && sender) send(sender, { type: SERVER.ack, ...ack });
		for (const { frame, exceptSender } of decision.signals) this.sockets.broadcast(JSON.stringify(frame), exceptSender ? sender : undefined);
		for (const { participantId, code, reason, notice } of decision.close) this.sockets.close(participantId, code, reason, notice === undefined ? undefined : errorFrame(notice));
		for (const id of revokedLinkDevices) this.sockets.close(`device:${id}`, 1008, "this link was revoked", errorFrame(REFUSALS.link_revoked.error));
		const replaced = JSON.stringify({ type: SERVER.error, code: "forbidden", message: REFUSALS.link_replaced.error } satisfies ServerFrame);
		for (const id of revokedDevices) this.sockets.close(`device:${id}`, 1008, "this link was replaced", replaced);
		if (decision.statusChanged) this.fanOut.presence(decision.record);
		return decision;
	}

	private admission(decision: Decision, actor: Actor, deviceId: string): Admission {
		if (decision.refusal) return { ok: false, reason: decision.refusal };
		const { record } = decision;
		return { ok: true, actor, deviceId, caseId: record.caseId, inviteSecret: record.inviteSecret, ...(record.routing ? { team: record.routing.team } : {}) };
	}

	/** Arms the one alarm for the earliest deadline still pending or outbox retry; touches storage only when that moved. */
	private async armAlarm(): Promise<void> {
		const record = this.record;
		const candidates = record ? pendingDeadlines(record) : [];
		const retry = this.store.outbox.nextAt();
		if (retry !== null) candidates.push(retry);
		const abandoned = this.fileCalls.nextDue();
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
		return buildTranscript(record, this.store.roster.all(), this.store.log.jsonAfter(0, Number.MAX_SAFE_INTEGER));
	}

	// ---- files: the RPC calls of routes/files.ts, carried out by file-calls.ts ----------------

	fileStart(caller: FileCaller, request: StartUpload): Promise<Started | FileRefusal> {
		return this.fileCalls.start(caller, request);
	}

	async fileMultipart(caller: FileCaller, fileId: string, multipartId: string): Promise<{ spare: boolean } | FileRefusal> {
		return this.fileCalls.multipart(caller, fileId, multipartId);
	}

	async filePartTarget(caller: FileCaller, fileId: string, part: number): Promise<PartTarget | FileRefusal> {
		return this.fileCalls.partTarget(caller, fileId, part);
	}

	filePartStored(caller: FileCaller, fileId: string, part: number, etag: string): Promise<Upload | FileRefusal> {
		return this.fileCalls.partStored(caller, fileId, part, etag);
	}

	async fileCompletion(caller: FileCaller, fileId: string): Promise<Completion | FileRefusal> {
		return this.fileCalls.completion(caller, fileId);
	}

	async fileCompleted(caller: FileCaller, fileId: string, storedSize: number): Promise<Upload | FileRefusal> {
		return this.fileCalls.completed(caller, fileId, storedSize);
	}

	async fileCancel(caller: FileCaller, fileId: string): Promise<FileRefusal | null> {
		return this.fileCalls.cancel(caller, fileId);
	}

	async fileDownloadable(caller: FileCaller, fileId: string): Promise<Downloadable | FileRefusal> {
		return this.fileCalls.downloadable(caller, fileId);
	}

	private state(): SessionState {
		if (!this.record) throw new Error("state of a session that does not exist");
		return stateOf(this.record, this.fanOut.participants(), this.store.log.lastSeq);
	}
}

/** The last word to a socket the session closes because its person or link is no longer let in. */
function errorFrame(message: string): string {
	return JSON.stringify({ type: SERVER.error, code: "forbidden", message } satisfies ServerFrame);
}

/** A frame for one socket; one that is closing (its client sent this right before leaving) misses it. */
function send(ws: WebSocket, frame: ServerFrame): void {
	trySend(ws, JSON.stringify(frame));
}
