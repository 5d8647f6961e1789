/**
 * The console's sockets to the routers of the agent's teams (GET /api/routing/ws): each sends
 * the agent's availability, load and offers on connect and on every change. While one is open
 * the agent is online there; closing the console makes them offline. Dropped sockets come back
 * (live-socket.ts), each starting with the whole picture again.
 */
import type { RoutingFrame } from "../../shared/routing";
import { parseRoutingFrame } from "../../shared/routing";
import { LiveSocket } from "./live-socket";

export class RoutingFeed {
	private readonly sockets: LiveSocket[] = [];

	constructor(private readonly onFrame: (frame: RoutingFrame) => void) {}

	start(teams: string[]): void {
		for (const team of teams) {
			const socket = new LiveSocket(`/api/routing/ws?team=${encodeURIComponent(team)}`, {
				frame: (data) => {
					const frame = parseRoutingFrame(data);
					if (frame) this.onFrame(frame);
					return frame !== null;
				},
			});
			this.sockets.push(socket);
			socket.start();
		}
	}

	stop(): void {
		for (const socket of this.sockets.splice(0)) socket.stop();
	}
}
