/**
 * A session's WebSocket entry points, behind the handlers ChatSession keeps for the runtime: the
 * upgrade (who may watch, then state and replay), each frame turned into a command, and a socket's
 * end. The Worker checked the participant's token and the origin before the upgrade reached here.
 */
import type { Actor, SessionState } from "../shared/protocol";
import { CLIENT, LIMITS, SERVER, isFrameProblem, isFrameTooLarge, parseClientFrame } from "../shared/protocol";
import { CHAT_SUBPROTOCOL } from "../shared/socket-auth";
import { socketPair } from "../http/socket-pair";
import { jsonError } from "../http/json-error";
import type { Connections } from "../sockets/connections";
import { isOpen } from "../sockets/connections";
import type { SocketActor } from "./contract";
import type { Command, Decision } from "./decision";
import type { FanOut } from "./fan-out";
import { sendFrame } from "./fan-out";
import type { FrameCommands } from "./frame-commands";
import { isTerminal } from "./lifecycle";
import { connectedTag } from "./online";
import { bringsChatBack, permit } from "./policy";
import type { SessionRecord } from "./session-record";
import type { SessionStore } from "./session-store";

/** What the socket handlers need of their session. */
export interface SocketHost {
	readonly store: SessionStore;
	readonly sockets: Connections<Actor>;
	readonly frames: FrameCommands;
	readonly fanOut: FanOut;
	readonly record: SessionRecord | null;
	now(): number;
	execute(actor: Actor | null, command: Command, sender?: WebSocket): Decision;
	/** The session with whatever deadline is due applied. */
	tick(): Decision;
	state(): SessionState;
}

/**
 * How long after an arrival the others are told of it. In the next turn (0) the runtime ran the
 * telling before it had written out the arriving socket's 101, state and history: half a
 * millisecond of a resume's 8.6 (W4, 2026-12-03, docs/performance.md); at 3 ms it still met the
 * history on its way out. Nobody sees 20 ms.
 */
export const ARRIVAL_TOLD_AFTER_MS = 20;

export class SocketDoor {
	constructor(private readonly host: SocketHost) {}

	/** `verified`: the participant the Worker checked, or the session admitted just now; `answer`: a join socket's first frame, sent before the state. */
	upgrade(request: Request, verified: SocketActor, answer: string | null = null): Response {
		const { store, sockets, fanOut } = this.host;
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return jsonError(426, "expected a WebSocket upgrade");
		const { deviceId, signIn, ...actor } = verified;
		const since = Number(new URL(request.url).searchParams.get("since") ?? "0");
		if (!Number.isSafeInteger(since) || since < 0) return jsonError(400, "since must be a whole number of at least 0");
		if (!this.host.record) return jsonError(404, "no such session");
		const { record } = this.host.tick();
		const finished = isTerminal(record);
		if (!permit(actor.role, "watch", { present: store.roster.get(actor.id)?.present === true, finished }).ok || !store.devices.live(deviceId, actor.id)) {
			return jsonError(403, "you are not in this chat: join again with your invite link");
		}

		const { client, server } = socketPair();
		// A finished chat's socket only replays and closes: accepted without hibernation, it is released
		// at once, where workerd would hold a hibernatable one half-open until the object hibernates.
		if (finished) server.accept();
		else sockets.accept(server, [actor.id, actor.role, `device:${deviceId}`, connectedTag(sockets, actor.id, this.host.now()), ...(signIn === undefined ? [] : [`sign-in:${signIn}`])], actor);
		// A socket that joined on its way here hears the join's answer first (customer-door.ts).
		if (answer !== null) server.send(answer);
		sendFrame(server, { type: SERVER.state, state: this.host.state(), you: actor });
		fanOut.replay(server, actor, since);
		if (finished) server.close(1000, "chat ended");
		// The others hear of the arrival a moment later, once this socket has its answer: the one
		// coming back waits for their history, while nobody waits for the others' frame.
		// The arriving socket is not told again what its state frame has just said.
		else setTimeout(() => fanOut.connection(actor.id, undefined, server), ARRIVAL_TOLD_AFTER_MS);
		// The Worker let only clients that offered the chat's subprotocol through; the token they offered with it is not echoed.
		return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": CHAT_SUBPROTOCOL } });
	}

	message(ws: WebSocket, data: string | ArrayBuffer): void {
		const actor = this.host.sockets.attachmentOf(ws);
		if (!actor) return ws.close(1008, "unknown participant");
		if (typeof data !== "string") return sendFrame(ws, { type: SERVER.error, code: "not_text", message: "frames are JSON text: binary frames are not accepted" });
		if (isFrameTooLarge(data)) {
			// Over the limit: the socket goes, and the sender's message allowance with it.
			this.host.frames.oversized(actor.id, this.host.now());
			return ws.close(1009, `frames are limited to ${LIMITS.maxFrameBytes} bytes`);
		}
		const frame = parseClientFrame(data);
		if (isFrameProblem(frame)) return sendFrame(ws, { type: SERVER.error, code: frame.code, message: frame.message });
		if (frame.type === CLIENT.ping) return sendFrame(ws, { type: SERVER.pong });
		const record = this.host.record;
		if (!record) return ws.close(1011, "session missing");
		this.host.store.people.active(actor.id, this.host.now());
		const returning = bringsChatBack(actor.role) && record.agentWaitEndsAt !== null;
		const command = this.host.frames.commandOf(actor, frame, this.host.now(), returning);
		const decision = this.host.execute(actor, command, ws);
		if (decision.error) return sendFrame(ws, { type: SERVER.error, ...decision.error });
	}

	/** A socket closed or failed: if it was its participant's last, they are gone from now (written: an arrival is only its socket's tag); everyone hears it. */
	closed(ws: WebSocket, code: number, reason: string): void {
		const { sockets, store, fanOut } = this.host;
		sockets.closed(ws, code, reason);
		const actor = sockets.attachmentOf(ws);
		if (!actor) return;
		if (!sockets.tagged(actor.id).some((other) => other !== ws && isOpen(other))) store.people.departed(actor.id, this.host.now());
		fanOut.connection(actor.id, ws);
	}
}
