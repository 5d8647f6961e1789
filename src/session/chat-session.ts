/**
 * One chat session: its event log, its participants, its deadlines and its live sockets. Reached
 * only through the Worker, which checks tokens and origins first. Every entry point here (RPC,
 * socket, alarm) only translates what arrives into a command for the session's core
 * (session-core.ts), where `decide` (commands.ts) says what it changes and `execute` applies that
 * in one SQLite step together with the outbox rows for its effects. Sockets are hibernatable:
 * whatever a socket needs after a wake is in its attachment, its tags or SQLite.
 */
import { DurableObject } from "cloudflare:workers";
import type { Actor, EventBody, SessionState } from "../shared/protocol";
import { CLIENT, SERVER } from "../shared/protocol";
import type { LinkView, MakeLink, People } from "../shared/api";
import type { StartUpload, Upload } from "../shared/files";
import { randomId128 } from "../security/random";
import { Connections, isOpen } from "../sockets/connections";
import { readConfig } from "../config";
import { jsonError } from "../http/json-error";
import type { Completion, Downloadable, FileCaller, FileRefusal, PartTarget, Started } from "../files/contract";
import type { SessionRouting } from "../routing/contract";
import { meterSql } from "../metering/sql-meter";
import type { Clock } from "./clock";
import { systemClock } from "./clock";
import type { Admission, CustomerProof, EndRequest, Invitation, SessionInit, SessionSummary, TransferAsk, TransferOutcome } from "./contract";
import { ACTOR_HEADER, ActorSchema, JOIN_LINK_HEADER, socketActorOf } from "./contract";
import type { EffectPorts } from "./effects";
import { FileCalls } from "./file-calls";
import { isTerminal } from "./lifecycle";
import { MemberDoor, REMOVED } from "./member-door";
import { onlineSince } from "./online";
import { platformPorts } from "./platform-ports";
import { SessionCore } from "./session-core";
import { summaryOf } from "./session-summary";
import { SocketDoor } from "./socket-door";
import { CustomerDoor } from "./customer-door";

/** How long an agent's call waits for the directory to hear of its change before answering anyway. */
const CONSOLE_WAIT_MS = 5_000;
const PING = JSON.stringify({ type: CLIENT.ping });
const PONG = JSON.stringify({ type: SERVER.pong });

export class ChatSession extends DurableObject<Env> {
	/** Where every decision takes the time from; tests move it forward on a live object. */
	clock: Clock = systemClock;
	/** What effects are carried out with; tests hand in a failing R2 or directory here. */
	readonly ports: EffectPorts;
	private readonly core: SessionCore;
	private readonly fileCalls: FileCalls;
	private readonly members: MemberDoor;
	private readonly socketDoor: SocketDoor;
	private readonly customers: CustomerDoor;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterSql(ctx, env, "ChatSession");
		const sockets = new Connections<Actor>(ctx, (raw) => {
			const parsed = ActorSchema.safeParse(raw);
			return parsed.success ? parsed.data : null;
		});
		this.ports = platformPorts(
			env,
			(fileId) => this.fileCalls.scan(fileId),
			() => this.core.record?.routing,
		);
		const core = new SessionCore({ ctx, sockets, ports: this.ports, clock: () => this.clock, alsoDue: () => this.fileCalls.nextDue() });
		this.core = core;
		const { store } = core;
		this.fileCalls = new FileCalls({
			sql: ctx.storage.sql,
			archive: env.ARCHIVE,
			limits: () => readConfig(env).files,
			now: () => core.now(),
			current: () => (core.record ? core.tick().record : null),
			deviceLive: (deviceId, actorId) => store.devices.live(deviceId, actorId),
			present: (id) => store.roster.get(id)?.present === true,
			execute: (actor, command, also) => core.execute(actor, command, undefined, also),
			lastSeq: () => store.log.lastSeq,
			armAlarm: () => core.armAlarm(),
		});
		this.members = new MemberDoor({
			store,
			record: () => core.record,
			now: () => core.now(),
			execute: (actor, command) => core.execute(actor, command),
			deviceOnline: (deviceId) => sockets.tagged(`device:${deviceId}`).some(isOpen),
			onlineSince: () => onlineSince(sockets),
		});
		this.socketDoor = new SocketDoor(core);
		this.customers = new CustomerDoor(core, this.members, this.socketDoor, () => readConfig(env));
		core.adoptLegacyRetries();
		// Keep-alives are answered by the runtime without waking a hibernating object.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
	}

	// ---- RPC from the Worker ------------------------------------------------------------------

	/** Creates the session; calling it again with the same session changes nothing. */
	async open(init: SessionInit): Promise<void> {
		await this.core.open(init);
	}

	async admitCustomer(proof: CustomerProof): Promise<Admission> {
		return this.customers.admit(proof);
	}

	/** An agent joins; an ended session admits agents to read it, without joining them. */
	async admitAgent(actor: Actor): Promise<Admission> {
		if (!this.core.record) return { ok: false, reason: "unknown" };
		const deviceId = randomId128();
		const decision = this.core.execute(actor, { type: "admit_agent", deviceId });
		// The agent's console reads the case list next.
		await this.core.outboxDrain.drained(CONSOLE_WAIT_MS);
		return this.core.admission(decision, actor, deviceId);
	}

	/** `cascade`: a resolve also ends the case's other live sessions; false where the caller ends them all itself. */
	async end(actor: Actor, reason: EndRequest, cascade = true): Promise<SessionState | FileRefusal | null> {
		if (!this.core.record) return null;
		const { error } = this.core.execute(actor, { type: "end", reason, cascade });
		// Ending a chat that has ended answers how it stands; someone who may not end it is told so.
		if (error?.code === "forbidden") return { refused: 403, error: error.message };
		// The agent's console reads the case list next.
		await this.core.outboxDrain.drained(CONSOLE_WAIT_MS);
		return this.core.state();
	}

	/**
	 * Another session of the case resolved it: this one ends as resolved too, by the system (no
	 * participant of another chat acts here), without resolving the case's sessions again and
	 * without waiting for its own effects, so that two sessions never wait on each other.
	 */
	async resolvedWithCase(): Promise<void> {
		if (this.core.record) this.core.execute(null, { type: "end", reason: "resolved", cascade: false });
	}

	/** A newer session of the same case replaced this one: its unused key no longer starts a chat. True if it was retired now. */
	async retire(): Promise<boolean> {
		if (!this.core.record) return false;
		const decision = this.core.execute(null, { type: "retire" });
		await this.core.outboxDrain.drained(CONSOLE_WAIT_MS);
		return decision.record.endReason === "key_replaced" && decision.statusChanged;
	}

	async describe(): Promise<SessionState | null> {
		if (!this.core.record) return null;
		this.core.tick();
		return this.core.state();
	}

	/** What an invite for this session carries; null once nobody can be invited any more. */
	async invitation(): Promise<Invitation | null> {
		if (!this.core.record) return null;
		const { record } = this.core.tick();
		if (isTerminal(record)) return null;
		const keyLive = this.core.now() < record.keyExpiresAt;
		return {
			caseId: record.caseId,
			supportKey: record.supportKey,
			inviteSecret: record.inviteSecret,
			keyExpiresAt: keyLive ? record.keyExpiresAt : null,
		};
	}

	/** Replaces the invite link's secret with the Worker's new one; false once the chat has ended. */
	async reissueLink(actor: Actor, secret: string): Promise<boolean> {
		if (!this.core.record) return false;
		return this.core.execute(actor, { type: "reissue_link", secret }).error === null;
	}

	/** The agent signed out of the console this sign-in was: their sockets here close (their token is refused from now on). */
	async closeSignedOut(signIn: string): Promise<void> {
		this.core.sockets.close(`sign-in:${signIn}`, 1008, "signed out");
	}

	/** Appends an event that happened outside the chat (an invite sent); customers see it without recipients or details. */
	async note(body: EventBody, actor: Actor): Promise<boolean> {
		if (!this.core.record) return false;
		return this.core.execute(actor, { type: "note", body }).error === null;
	}

	// ---- transfer and case history (transfer.ts, routes/transfers.ts) ---------------------------

	/** Offers the chat to another agent, cancels that, answers it, or puts the chat back in the queue; the target's console has heard by the answer. */
	async transfer(actor: Actor, command: TransferAsk): Promise<TransferOutcome> {
		if (!this.core.record) return { ok: false, code: "unknown", message: "no such session" };
		const decision = this.core.execute(actor, command);
		if (decision.error) return { ok: false, code: decision.error.code, message: decision.error.message };
		await this.core.outboxDrain.drained(CONSOLE_WAIT_MS);
		return { ok: true, state: this.core.state() };
	}

	/** The session as a case's history lists it. */
	async summary(): Promise<SessionSummary | null> {
		if (!this.core.record) return null;
		const { record } = this.core.tick();
		return summaryOf(record, this.core.store.roster.all(), this.core.store.log);
	}

	/** The refusal for someone removed from the chat, null for anyone else: what they may not do here, they may not do to its case either. */
	async refusalIfRemoved(participantId: string): Promise<FileRefusal | null> {
		return this.core.store.people.removed().has(participantId) ? REMOVED : null;
	}

	/** The session's log in the transcript's shape, so far: what an earlier chat whose transcript is not written yet shows. */
	async logSnapshot(asker: Actor): Promise<string | FileRefusal | null> {
		if (!this.core.record) return null;
		// Nothing written after their removal reaches someone removed, by this way either.
		return (await this.refusalIfRemoved(asker.id)) ?? this.core.transcript(true);
	}

	/** A message the customer left through the API (routes/chats.ts, leave a message), decided as if typed in the chat. */
	async say(actor: Actor, clientId: string, text: string): Promise<boolean> {
		if (!this.core.record) return false;
		return this.core.execute(actor, { type: "message", clientId, text, rateOk: true, resendOf: null }).error === null;
	}

	/** The team and queue whose router hears of this chat (every chat since key chats are routed; null for older ones). */
	async routing(): Promise<SessionRouting | null> {
		return this.core.record?.routing ?? null;
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
		const linkSecret = request.headers.get(JOIN_LINK_HEADER);
		const actorHeader = request.headers.get(ACTOR_HEADER);
		// The Worker sends one or the other; both would mean a route let a client's own header through.
		if (linkSecret !== null && actorHeader !== null) return jsonError(400, "a join link and a participant together");
		if (linkSecret !== null) return this.customers.joinByLink(request, linkSecret);
		const verified = socketActorOf(actorHeader);
		return verified ? this.socketDoor.upgrade(request, verified) : jsonError(400, "missing participant");
	}

	override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
		this.socketDoor.message(ws, data);
	}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		this.socketDoor.closed(ws, code, reason);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		this.socketDoor.closed(ws, 1011, "socket error");
	}

	override async alarm(): Promise<void> {
		this.core.alarmFired();
		if (this.core.record) {
			this.core.tick();
			this.fileCalls.discardAbandoned();
		}
		await this.core.outboxDrain.drain();
		// A try the alarm started is part of its work: done, or its next try armed, before it returns.
		await this.core.outboxDrain.drained();
		await this.core.armAlarm();
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
}
