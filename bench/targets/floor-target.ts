/**
 * The two baselines, which speak the same floor protocol (bench/floor-protocol.ts): (a) the bare
 * Node `ws` server in its own process, and (b) the floor Durable Object under the same runner as the chat.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { DevServerOptions } from "../../test/support/dev-server";
import { startDevServer } from "../../test/support/dev-server";
import { heapReader } from "../devtools";
import type { ProcessStats } from "../process-stats";
import { treeStats } from "../process-stats";
import type { Target, TargetName } from "./target";
import { socketAddress } from "./target";

interface Server {
	url: string;
	upload?: (bytes: Uint8Array<ArrayBuffer>) => Promise<number>;
	processes(): ProcessStats[];
	heapUsedBytes(): Promise<number | null>;
	liveRoomObjects(): Promise<number | null>;
	stop(): Promise<void>;
}

/**
 * The chat sets a room of `size` up with size + 2 HTTP requests (a case, a session, the customer's
 * join and one per agent, bench/targets/chat-target.ts); the floor makes as many, so that W3
 * compares the two after the same setup traffic (each request leaves garbage in the runtime).
 */
export const setUpRequests = (size: number) => size + 2;

function floorTarget(name: TargetName, server: Server): Target {
	const roomUrl = (room: string, action: "join" | "ws") => `${server.url}/rooms/${room}/${action}`;
	const join = async (room: string) => {
		const response = await fetch(roomUrl(room, "join"), { method: "POST" });
		if (!response.ok) throw new Error(`join: ${response.status}`);
		await response.arrayBuffer();
	};
	const openRoom = async (size: number) => {
		const room = randomUUID();
		for (let i = 0; i < setUpRequests(size); i++) await join(room);
		return Array.from({ length: size }, () => socketAddress(server.url, roomUrl(room, "ws")));
	};
	return {
		name,
		url: server.url,
		probes: true,
		openRoom,
		// A room of as many sockets: the floor has no roles.
		openChannel: openRoom,
		async prepareJoin() {
			const room = randomUUID();
			// The chat's session exists before its customer joins; so does the room's object here.
			await join(room);
			return async () => {
				await join(room);
				return socketAddress(server.url, roomUrl(room, "ws"));
			};
		},
		processes: () => server.processes(),
		heapUsedBytes: () => server.heapUsedBytes(),
		liveRoomObjects: () => server.liveRoomObjects(),
		upload: server.upload,
		stop: () => server.stop(),
	};
}

/** Baseline (b): the floor Durable Object under the same runner as the chat. */
export async function startFloorTarget(projectDir: string, options: Pick<DevServerOptions, "stateParent" | "runner"> = {}): Promise<Target> {
	const server = await startDevServer({ ...options, cwd: projectDir, config: "bench/floor/wrangler.toml" });
	const heap = heapReader(server.inspectorPort);
	return floorTarget("floor", {
		url: server.url,
		async upload(bytes) {
			const started = performance.now();
			const response = await fetch(`${server.url}/files/${randomUUID()}`, { method: "PUT", body: bytes });
			if (response.status !== 201) throw new Error(`bare put: ${response.status} ${await response.text()}`);
			return performance.now() - started;
		},
		processes: () => treeStats(server.pid, "workerd"),
		heapUsedBytes: () => heap.read(),
		liveRoomObjects: () => heap.liveObjects("FloorRoom"),
		stop: () => {
			heap.close();
			return server.stop();
		},
	});
}

/** Baseline (a): the bare `ws` server, in a process of its own so that it does not share the load generator's thread. */
export async function startWsTarget(projectDir: string): Promise<Target> {
	const child = spawn(process.execPath, ["--import", "tsx", "bench/ws-server.ts"], { cwd: projectDir, stdio: ["ignore", "pipe", "inherit"] });
	const pid = child.pid;
	if (pid === undefined) throw new Error("the ws baseline did not start");
	const lines = createInterface({ input: child.stdout });
	const [line] = await Promise.race([
		once(lines, "line"),
		once(child, "exit").then(() => {
			throw new Error("the ws baseline exited before listening");
		}),
	]);
	const port = /^listening (\d+)$/.exec(String(line))?.[1];
	if (!port) throw new Error(`the ws baseline said: ${String(line)}`);
	return floorTarget("ws", {
		url: `http://127.0.0.1:${port}`,
		processes: () => treeStats(pid),
		heapUsedBytes: async () => null,
		liveRoomObjects: async () => null,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = once(child, "exit");
			child.kill("SIGTERM");
			await exited;
		},
	});
}
