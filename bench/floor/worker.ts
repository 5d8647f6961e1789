/**
 * The platform floor: the least a Durable Object chat room can do per message. Like the chat, an
 * entry Worker routes each request to one object per room, and the object holds hibernatable
 * WebSockets; per message it only numbers the frame, inserts it into SQLite and sends it to every
 * socket. Whatever the chat spends beyond this is the chat's own cost.
 */
import { DurableObject } from "cloudflare:workers";
import { BACKLOG_BATCH, FLOOR_ROUTE, PROBE, encodeEvent, eventsFrame, parseFloorFrame, probeReply, stateFrame } from "../floor-protocol";

interface FloorEnv {
	ROOMS: DurableObjectNamespace<FloorRoom>;
	/** For W10's floor: the least an upload can cost, one R2 put of the request's body. */
	FILES: R2Bucket;
}

/** PUT /files/{key}: the body straight into R2, nothing checked, counted or split. */
const PUT_ROUTE = /^\/files\/([A-Za-z0-9_-]{1,64})$/;

export class FloorRoom extends DurableObject<FloorEnv> {
	private seq: number;
	/** New each time the runtime constructs the object, so the benchmark can see an eviction. */
	private readonly instance = crypto.randomUUID();

	constructor(ctx: DurableObjectState, env: FloorEnv) {
		super(ctx, env);
		const sql = ctx.storage.sql;
		sql.exec("CREATE TABLE IF NOT EXISTS frames (seq INTEGER PRIMARY KEY, json TEXT NOT NULL)");
		this.seq = sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM frames").one().seq ?? 0;
	}

	override async fetch(request: Request): Promise<Response> {
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return Response.json({ ok: true });
		const since = Number(new URL(request.url).searchParams.get("since") ?? "0");
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server);
		server.send(stateFrame(this.seq));
		for (let after = Number.isSafeInteger(since) ? since : 0; after < this.seq; after += BACKLOG_BATCH) {
			const batch = this.ctx.storage.sql
				.exec<{ json: string }>("SELECT json FROM frames WHERE seq > ? ORDER BY seq LIMIT ?", after, BACKLOG_BATCH)
				.toArray()
				.map((row) => row.json);
			server.send(eventsFrame(batch));
		}
		return new Response(null, { status: 101, webSocket: client });
	}

	override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void {
		if (typeof data !== "string") return;
		const frame = parseFloorFrame(data);
		if (!frame) return;
		if (frame.type === PROBE) return ws.send(probeReply(this.instance));
		this.seq += 1;
		const event = encodeEvent(this.seq, frame.clientId, frame.text, Date.now());
		this.ctx.storage.sql.exec("INSERT INTO frames (seq, json) VALUES (?, ?)", this.seq, event);
		const out = eventsFrame([event]);
		for (const socket of this.ctx.getWebSockets()) {
			try {
				socket.send(out);
			} catch {
				// Closing: its client resumes from its last seq.
			}
		}
	}

	override webSocketClose(ws: WebSocket, code: number, reason: string): void {
		try {
			ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
		} catch {
			// Already closed.
		}
	}
}

export default {
	async fetch(request, env): Promise<Response> {
		const url = new URL(request.url);
		if (url.pathname === "/healthz") return Response.json({ ok: true });
		const key = PUT_ROUTE.exec(url.pathname)?.[1];
		if (key && request.method === "PUT" && request.body) {
			await env.FILES.put(key, request.body);
			return new Response(null, { status: 201 });
		}
		const room = FLOOR_ROUTE.exec(url.pathname)?.[1];
		if (!room) return Response.json({ error: "no such route" }, { status: 404 });
		return env.ROOMS.get(env.ROOMS.idFromName(room)).fetch(request);
	},
} satisfies ExportedHandler<FloorEnv>;
