/**
 * The console's sockets to the routers of the agent's teams (GET /api/routing/ws): each sends
 * the agent's availability, load and offers on connect and on every change. While one is open
 * the agent is online there; closing the console makes them offline. Dropped sockets come back
 * with growing pauses, each starting with the whole picture again.
 */
import { Reconnect } from "../../client/reconnect";
import { CLIENT } from "../../shared/protocol";
import type { RoutingFrame } from "../../shared/routing";
import { parseRoutingFrame } from "../../shared/routing";

const KEEPALIVE_MS = 25_000;
const MAX_RETRY_MS = 15_000;

class TeamSocket {
	private socket: WebSocket | null = null;
	private readonly reconnect = new Reconnect(() => this.open(), 500, MAX_RETRY_MS);
	private keepalive: ReturnType<typeof setInterval> | null = null;
	private stopped = false;

	constructor(
		private readonly team: string,
		private readonly onFrame: (frame: RoutingFrame) => void,
	) {}

	open(): void {
		const url = new URL(`/api/routing/ws?team=${encodeURIComponent(this.team)}`, location.href);
		url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
		const socket = new WebSocket(url.toString());
		this.socket = socket;
		socket.addEventListener("message", (event) => {
			const frame = typeof event.data === "string" ? parseRoutingFrame(event.data) : null;
			if (!frame) return;
			this.reconnect.succeeded();
			this.onFrame(frame);
		});
		socket.addEventListener("open", () => {
			this.keepalive = setInterval(() => socket.send(JSON.stringify({ type: CLIENT.ping })), KEEPALIVE_MS);
		});
		socket.addEventListener("close", () => {
			if (this.keepalive) clearInterval(this.keepalive);
			if (this.socket !== socket || this.stopped) return;
			this.socket = null;
			this.reconnect.schedule();
		});
	}

	stop(): void {
		this.stopped = true;
		this.reconnect.cancel();
		if (this.keepalive) clearInterval(this.keepalive);
		this.socket?.close(1000, "console closed");
		this.socket = null;
	}
}

export class RoutingFeed {
	private readonly sockets: TeamSocket[] = [];

	constructor(private readonly onFrame: (frame: RoutingFrame) => void) {}

	start(teams: string[]): void {
		for (const team of teams) {
			const socket = new TeamSocket(team, this.onFrame);
			this.sockets.push(socket);
			socket.open();
		}
	}

	stop(): void {
		for (const socket of this.sockets.splice(0)) socket.stop();
	}
}
