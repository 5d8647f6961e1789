/**
 * One team's routing, in one Durable Object per team (named by the team's id): its agents'
 * availability and capacity, its live chats, and the offers between them. A chat is offered to
 * one agent at a time (pick.ts); an offer not accepted in the team's time goes to the next agent,
 * and once every eligible agent has let it pass it stays in the queue, where any agent may still
 * pick it. Every change is a few synchronous SQLite statements with no `await` between reading
 * and writing, so concurrent starts cannot both take an agent's last free place.
 *
 * Consoles connect over hibernatable WebSockets, one per sign-in; an agent with no console open
 * is offline and gets nothing. No message of a chat passes through here: only status changes.
 */
import { DurableObject } from "cloudflare:workers";
import { readConfig } from "../config";
import type { SessionChange } from "../directory/contract";
import { jsonError } from "../http/json-error";
import { socketPair } from "../http/socket-pair";
import { SIGN_IN_HEADER } from "../security/agent-sign-ins";
import type { Clock } from "../session/clock";
import { systemClock } from "../session/clock";
import { CLIENT, SERVER, isFinished } from "../shared/protocol";
import type { Availability, Offer, Place, RoutingFrame, SetAvailability } from "../shared/routing";
import { Connections, trySend } from "../sockets/connections";
import type { AgentFacts, OfferAnswer, RoutedChatInit } from "./contract";
import { ROUTING_AGENT_HEADER } from "./contract";
import { isOpen } from "./hours";
import { hasRoom, pickAgent } from "./pick";
import type { ChatRow } from "./router-store";
import { RouterStore } from "./router-store";
import type { Team } from "./routing-config";
import { profileOf, takesQueue, teamOf } from "./routing-config";
import { meterSql } from "../metering/sql-meter";

/** Before any chat has been answered, what a wait is guessed to be per place in the queue. */
const DEFAULT_WAIT_MS = 60_000;

export class TeamRouter extends DurableObject<Env> {
	/** Tests move it forward to let offers time out. */
	clock: Clock = systemClock;
	private readonly store: RouterStore;
	private readonly consoles: Connections<string>;
	/** The team this object routes for, once known (teamId). */
	private knownTeam: string | null = null;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterSql(ctx, env, "TeamRouter");
		this.store = new RouterStore(ctx.storage.sql);
		this.consoles = new Connections(ctx, (raw) => (typeof raw === "string" ? raw : null));
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(JSON.stringify({ type: CLIENT.ping }), JSON.stringify({ type: SERVER.pong })));
		ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), team TEXT NOT NULL)");
	}

	// ---- agents ---------------------------------------------------------------------------------

	/** An agent's console; the Worker checked the agent, the origin and that their profile takes this team. */
	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const name = request.headers.get(ROUTING_AGENT_HEADER);
		const team = new URL(request.url).searchParams.get("team");
		if (!name || !team) return jsonError(400, "missing agent or team");
		this.remember(team);
		const now = this.clock();
		if (!this.store.agent(name)) this.store.saveAgent({ name, availability: "available", capacity: this.profileCapacity(name), idle_since: now });
		const { client, server } = socketPair();
		const signIn = request.headers.get(SIGN_IN_HEADER);
		this.consoles.accept(server, [`agent:${name}`, ...(signIn === null ? [] : [`sign-in:${signIn}`])], name);
		this.dispatch();
		trySend(server, this.frameFor(name));
		return new Response(null, { status: 101, webSocket: client });
	}

	override async webSocketMessage(): Promise<void> {}

	override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		this.consoleClosed(ws);
		this.consoles.closed(ws, code, reason);
	}

	override async webSocketError(ws: WebSocket): Promise<void> {
		this.consoleClosed(ws);
		this.consoles.closed(ws, 1011, "socket error");
	}

	closeSignedOut(signIns: string[]): void {
		for (const signIn of signIns) this.consoles.close(`sign-in:${signIn}`, 1008, "signed out");
	}

	/** Available or away, and how many chats at once; answers what the agent now is here. */
	setAvailability(team: string, name: string, change: SetAvailability): RoutingFrame {
		this.remember(team);
		const now = this.clock();
		const row = this.store.agent(name) ?? { name, availability: "available" as const, capacity: this.profileCapacity(name), idle_since: now };
		const becameAvailable = change.availability === "available" && row.availability !== "available";
		this.store.saveAgent({ ...row, availability: change.availability ?? row.availability, capacity: change.capacity ?? row.capacity, idle_since: becameAvailable ? Math.max(row.idle_since, now) : row.idle_since });
		if (change.availability === "away") for (const chat of this.store.offersTo(name)) this.store.withdraw(chat.session_id, null);
		this.dispatch();
		this.notify(name);
		return this.snapshot(name);
	}

	accept(team: string, sessionId: string, name: string): OfferAnswer {
		this.remember(team);
		const chat = this.store.chat(sessionId);
		const now = this.clock();
		if (!chat || chat.offered_to !== name || (chat.offer_expires_at ?? 0) <= now) return { ok: false, error: "this offer has expired or gone to someone else; the chat may still be in the queue" };
		this.assign(chat, name, now);
		return { ok: true };
	}

	decline(team: string, sessionId: string, name: string): void {
		this.remember(team);
		const chat = this.store.chat(sessionId);
		if (chat?.offered_to !== name) return;
		this.store.withdraw(sessionId, name);
		this.dispatch();
		this.notify(name);
	}

	/** An agent took the chat from the queue themselves: it is theirs, and any offer of it to someone else is withdrawn. */
	picked(team: string, sessionId: string, name: string): void {
		this.remember(team);
		const chat = this.store.chat(sessionId);
		if (!chat || chat.state === "assigned") return;
		this.assign(chat, name, this.clock());
	}

	/** A transfer the agent accepted: the chat is theirs now (no wait to record), and the offerer has room again. */
	handedTo(team: string, sessionId: string, name: string): void {
		this.remember(team);
		const chat = this.store.chat(sessionId);
		if (chat?.state !== "assigned" || chat.agent === name) return;
		this.store.assign(sessionId, name);
		this.store.touchIdle(name, this.clock());
		this.dispatch();
		for (const agent of [name, chat.agent]) if (agent !== null) this.notify(agent);
	}

	// ---- chats ----------------------------------------------------------------------------------

	/** A customer started a chat: it is offered at once if anyone can take it. An agent's support-key chat waits for its customer first. */
	register(team: string, chat: Omit<RoutedChatInit, "at">): void {
		this.remember(team);
		this.store.addChat({ ...chat, at: this.clock() });
		this.dispatch();
	}

	/** The session reports each status change (routing/report.ts); older reports than the last are ignored. */
	sessionChanged(change: SessionChange): void {
		const chat = this.store.chat(change.sessionId);
		if (!chat || change.version <= chat.version) return;
		this.store.setVersion(chat.session_id, change.version);
		const holder = chat.state === "assigned" ? chat.agent : null;
		if (isFinished(change.status)) {
			this.store.remove(chat.session_id);
		} else if (change.queued) {
			if (chat.state === "waiting") return;
			// A support-key chat whose customer came before any agent goes first to the agent who started it.
			this.store.requeue(chat.session_id, change.previousAgent ?? (chat.state === "away" ? chat.previous_agent : null), change.at);
		} else if (change.status === "waiting" || change.status === "pending") {
			// The agent left and the chat waits for the customer, or the customer left before anyone came,
			// or a key chat's agent left before its customer came.
			this.store.away(chat.session_id);
		} else {
			return;
		}
		if (holder !== null) this.store.touchIdle(holder, change.at);
		this.dispatch();
		for (const name of new Set([holder, chat.offered_to])) if (name !== null) this.notify(name);
	}

	/** Where a waiting customer stands; the customer page asks while it waits. */
	placeOf(team: string, sessionId: string): Place {
		this.remember(team);
		const chat = this.store.chat(sessionId);
		if (!chat || chat.state !== "waiting") return { position: null, estimatedWaitMs: null, nobodyThere: false };
		const now = this.clock();
		const ahead = this.store.waiting().filter((c) => c.queue === chat.queue);
		const position = ahead.findIndex((c) => c.session_id === sessionId) + 1;
		const teamConfig = this.team();
		const available = this.agentFacts().filter((a) => a.availability === "available" && a.takesQueue(chat.queue)).length;
		const perPlace = this.store.averageWaitMs() ?? DEFAULT_WAIT_MS;
		const closed = teamConfig ? !isOpen(teamConfig.hours, now) : false;
		const waitedLong = now - chat.waiting_since >= (teamConfig?.noAgentWaitSeconds ?? 0) * 1000;
		// With nobody available there is no wait to promise.
		const estimatedWaitMs = available === 0 ? null : Math.round((perPlace * position) / available);
		return { position, estimatedWaitMs, nobodyThere: closed || (available === 0 && waitedLong) };
	}

	override async alarm(): Promise<void> {
		const now = this.clock();
		const expired = this.store.expiredOffers(now);
		for (const chat of expired) this.store.withdraw(chat.session_id, chat.offered_to);
		this.dispatch();
		for (const chat of expired) if (chat.offered_to !== null) this.notify(chat.offered_to);
		await this.armAlarm();
	}

	// ---- inside ---------------------------------------------------------------------------------

	private assign(chat: ChatRow, name: string, now: number): void {
		const offeredTo = chat.offered_to;
		this.store.assign(chat.session_id, name);
		this.store.recordWait(now - chat.waiting_since);
		this.store.touchIdle(name, now);
		this.dispatch();
		this.notify(name);
		if (offeredTo !== null && offeredTo !== name) this.notify(offeredTo);
	}

	/**
	 * Offers every waiting chat without an offer to whoever may take it, longest wait first. Every
	 * status report dispatches: with no chat to offer it reads no agent, and with nobody free no chat
	 * (a queue that nobody serves can be long).
	 */
	private dispatch(): void {
		const team = this.team();
		if (!team || !this.store.hasUnoffered()) return;
		const now = this.clock();
		const offered = new Set<string>();
		let agents = this.agentFacts();
		for (const chat of hasRoom(agents) ? this.store.waiting() : []) {
			if (chat.offered_to !== null) continue;
			const name = pickAgent(agents, { queue: chat.queue, previousAgent: chat.previous_agent, tried: chat.tried });
			if (name === null) continue;
			this.store.offer(chat.session_id, name, now + team.offerSeconds * 1000);
			offered.add(name);
			// The offer counts against the agent's capacity for the chats after it in this pass.
			agents = agents.map((agent) => (agent.name === name ? { ...agent, load: agent.load + 1 } : agent));
			if (!hasRoom(agents)) break;
		}
		for (const name of offered) this.notify(name);
		if (offered.size > 0) void this.armAlarm();
	}

	private agentFacts(except?: WebSocket): AgentFacts[] {
		const routing = readConfig(this.env).routing;
		const teamId = this.teamId();
		return this.store.agents().map((row) => {
			const profile = profileOf(routing, row.name);
			return {
				name: row.name,
				availability: this.online(row.name, except) ? row.availability : "offline",
				capacity: row.capacity,
				load: this.store.loadOf(row.name),
				idleSince: row.idle_since,
				takesQueue: (queue: string) => teamId !== null && takesQueue(profile, teamId, queue),
			};
		});
	}

	private online(name: string, except?: WebSocket): boolean {
		return this.consoles.tagged(`agent:${name}`).some((ws) => ws !== except && ws.readyState === WebSocket.OPEN);
	}

	/** The agent's last console closed: they are offline, and their offers go to others. */
	private consoleClosed(ws: WebSocket): void {
		const name = this.consoles.attachmentOf(ws);
		if (name === null || this.online(name, ws)) return;
		for (const chat of this.store.offersTo(name)) this.store.withdraw(chat.session_id, null);
		this.dispatch();
	}

	private snapshot(name: string): RoutingFrame {
		const row = this.store.agent(name);
		const team = this.teamId() ?? "";
		const availability: Availability = row && this.online(name) ? row.availability : "offline";
		const offers: Offer[] = this.store.offersTo(name).map((c) => ({
			sessionId: c.session_id,
			caseId: c.case_id,
			team,
			queue: c.queue,
			customerName: c.customer_name,
			subject: c.subject,
			expiresAt: c.offer_expires_at ?? 0,
		}));
		return { type: "routing", team, availability, capacity: row?.capacity ?? this.profileCapacity(name), load: this.store.loadOf(name), offers };
	}

	private frameFor(name: string): string {
		return JSON.stringify(this.snapshot(name));
	}

	private notify(name: string): void {
		const sockets = this.consoles.tagged(`agent:${name}`);
		if (sockets.length === 0) return;
		const frame = this.frameFor(name);
		for (const ws of sockets) trySend(ws, frame);
	}

	private async armAlarm(): Promise<void> {
		const at = this.store.nextOfferExpiry();
		if (at === null) await this.ctx.storage.deleteAlarm();
		else await this.ctx.storage.setAlarm(at);
	}

	private profileCapacity(name: string): number {
		return profileOf(readConfig(this.env).routing, name).capacity;
	}

	/** The object learns its team from the first call (a Durable Object is not told its own name). */
	private remember(team: string): void {
		if (this.teamId() !== null) return;
		this.ctx.storage.sql.exec("INSERT INTO meta (id, team) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", team);
		this.knownTeam = team;
	}

	/** Read from storage until it is known, then kept: an object's team never changes, and every call asks. */
	private teamId(): string | null {
		this.knownTeam ??= this.ctx.storage.sql.exec<{ team: string }>("SELECT team FROM meta WHERE id = 1").toArray()[0]?.team ?? null;
		return this.knownTeam;
	}

	private team(): Team | null {
		const id = this.teamId();
		return id === null ? null : teamOf(readConfig(this.env).routing, id);
	}
}
