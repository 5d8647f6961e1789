/** What the workloads need from a server under test: rooms, joins, and its processes (memory, CPU time). */
import type { ProcessStats } from "../process-stats";

export type TargetName = "ws" | "floor" | "chat";

export interface Target {
	readonly name: TargetName;
	/** Whether a room's object can say which instance of it answers (the baselines; the chat cannot). */
	readonly probes: boolean;
	/** A new room (a chat session) with `size` participants: each one's WebSocket address. */
	openRoom(size: number): Promise<string[]>;
	/** Does the untimed part of one join (e.g. a session and its support key); the returned call is the timed part, and yields the WebSocket address. */
	prepareJoin(): Promise<() => Promise<string>>;
	/** The server's processes: workerd for wrangler dev, the Node process for the ws baseline. */
	processes(): ProcessStats[];
	/** The Worker's JavaScript heap in use, through devtools; null where there is none to ask (the ws baseline). */
	heapUsedBytes(): Promise<number | null>;
	stop(): Promise<void>;
}

export function webSocketUrl(httpUrl: string, path: string): string {
	const url = new URL(path, httpUrl);
	url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
	return url.toString();
}
