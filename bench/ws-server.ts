/**
 * Baseline (a): a bare Node `ws` broadcast server, the floor of any WebSocket fan-out on this
 * machine. It speaks the floor protocol (floor-protocol.ts) and keeps each room's log in memory.
 * Run as its own process by the benchmark (`node --import tsx bench/ws-server.ts`); it prints the
 * port it listens on.
 */
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import { WebSocketServer } from "ws";
import { BACKLOG_BATCH, FLOOR_ROUTE, PROBE, encodeEvent, eventsFrame, parseFloorFrame, probeReply, stateFrame } from "./floor-protocol";

interface Room {
	log: string[];
	sockets: Set<WebSocket>;
}

const instance = randomUUID();
const rooms = new Map<string, Room>();

function roomOf(name: string): Room {
	let room = rooms.get(name);
	if (!room) {
		room = { log: [], sockets: new Set() };
		rooms.set(name, room);
	}
	return room;
}

const sockets = new WebSocketServer({ noServer: true });

function serve(room: Room, ws: WebSocket, since: number): void {
	room.sockets.add(ws);
	ws.on("close", () => room.sockets.delete(ws));
	ws.on("message", (data, isBinary) => {
		if (isBinary) return;
		const frame = parseFloorFrame(data.toString());
		if (!frame) return;
		if (frame.type === PROBE) return ws.send(probeReply(instance));
		const event = encodeEvent(room.log.length + 1, frame.clientId, frame.text, Date.now());
		room.log.push(event);
		const out = eventsFrame([event]);
		for (const socket of room.sockets) socket.send(out);
	});
	ws.send(stateFrame(room.log.length));
	for (let after = since; after < room.log.length; after += BACKLOG_BATCH) ws.send(eventsFrame(room.log.slice(after, after + BACKLOG_BATCH)));
}

const server = createServer((request, response) => {
	const url = new URL(request.url ?? "/", "http://localhost");
	const route = FLOOR_ROUTE.exec(url.pathname);
	const found = url.pathname === "/healthz" || (route?.[2] === "join" && request.method === "POST");
	if (route?.[1]) roomOf(route[1]);
	response.writeHead(found ? 200 : 404, { "Content-Type": "application/json" }).end(JSON.stringify(found ? { ok: true } : { error: "no such route" }));
});

server.on("upgrade", (request, socket, head) => {
	const url = new URL(request.url ?? "/", "http://localhost");
	const route = FLOOR_ROUTE.exec(url.pathname);
	const since = Number(url.searchParams.get("since") ?? "0");
	if (!route?.[1] || route[2] !== "ws" || !Number.isSafeInteger(since) || since < 0) return socket.destroy();
	const room = roomOf(route[1]);
	sockets.handleUpgrade(request, socket, head, (ws) => serve(room, ws, since));
});

server.listen(0, "127.0.0.1", () => {
	const address = server.address();
	if (typeof address !== "object" || !address) throw new Error("the ws baseline has no address");
	console.log(`listening ${address.port}`);
});
