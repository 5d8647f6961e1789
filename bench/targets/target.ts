/** What the workloads need from a server under test: rooms, joins, and its processes (memory, CPU time). */
import type { ProcessStats } from "../process-stats";

export type TargetName = "ws" | "floor" | "chat";

export interface Target {
	readonly name: TargetName;
	/** Where it answers HTTP. */
	readonly url: string;
	/** Whether a room's object can say which instance of it answers (the baselines; the chat cannot). */
	readonly probes: boolean;
	/** A new room (a chat session) with `size` participants: each one's WebSocket address. */
	openRoom(size: number): Promise<SocketAddress[]>;
	/**
	 * A big channel (W8): one agent and `size - 1` others in one room. The chat admits its customer
	 * `size - 1` times by the invite link (one device each) until sessions have members; the
	 * baselines open a room of `size`.
	 */
	openChannel(size: number): Promise<SocketAddress[]>;
	/**
	 * Does the untimed part of one join (e.g. a session and its invite link); the returned call is the
	 * timed part, and yields the WebSocket address. The chat joins as its invite link's page does, on
	 * the socket (GET /api/join/ws); the floor asks its room over HTTP, then opens the socket.
	 */
	prepareJoin(): Promise<() => Promise<SocketAddress>>;
	/** The chat's other way in, as its page does for a typed support key: POST /api/join, then the socket. */
	prepareKeyJoin?(): Promise<() => Promise<SocketAddress>>;
	/** The server's processes: workerd for the Workers, the Node process for the ws baseline. */
	processes(): ProcessStats[];
	/** The Worker's JavaScript heap in use, through devtools; null where there is none to ask (the ws baseline). */
	heapUsedBytes(): Promise<number | null>;
	/** Its rooms' Durable Objects alive in the Worker's isolate, from a heap snapshot; null where there is none to ask. The snapshot takes memory of its own. */
	liveRoomObjects(): Promise<number | null>;
	/**
	 * Sends `bytes` into R2 and answers how long the transfer took, in ms (setup not counted): for
	 * the chat a file through its file routes into a session, for the floor one bare R2 put
	 * through its Worker. Absent where there is no R2 (the ws baseline).
	 */
	upload?(bytes: Uint8Array<ArrayBuffer>): Promise<number>;
	stop(): Promise<void>;
}

/** Where a participant's WebSocket goes, and the subprotocols it offers (the chat's carry its token). */
export interface SocketAddress {
	url: string;
	protocols: string[];
}

export function socketAddress(httpUrl: string, path: string, protocols: string[] = []): SocketAddress {
	const url = new URL(path, httpUrl);
	url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
	return { url: url.toString(), protocols };
}
