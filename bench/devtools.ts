/**
 * A minimal devtools-protocol client for the Worker's isolate, through workerd's inspector port:
 * enough for CPU profiles (bench/profile.ts) and the JavaScript heap's size, which tells the
 * Worker's own memory apart from what workerd holds natively.
 */
import WebSocket from "ws";
import { z } from "zod";

const ReplySchema = z.object({ id: z.number(), result: z.unknown().optional(), error: z.unknown().optional() });
const TargetsSchema = z.array(z.object({ webSocketDebuggerUrl: z.string() }));
const HeapUsageSchema = z.object({ usedSize: z.number() });

export interface DevTools {
	call(method: string, params?: object): Promise<unknown>;
	/** Bytes in use in the isolate's JavaScript heap (live objects and garbage not yet collected). */
	heapUsedBytes(): Promise<number>;
	close(): void;
}

/** One request at a time is all the benchmark needs. */
export async function connectDevTools(port: number): Promise<DevTools> {
	const [target] = TargetsSchema.parse(await (await fetch(`http://127.0.0.1:${port}/json/list`)).json());
	if (!target) throw new Error("no devtools target");
	const ws = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
	let next = 1;
	const call = (method: string, params: object = {}): Promise<unknown> => {
		const id = next++;
		ws.send(JSON.stringify({ id, method, params }));
		return new Promise((resolve, reject) => {
			const onMessage = (data: WebSocket.RawData) => {
				const reply = ReplySchema.safeParse(JSON.parse(data.toString()));
				if (!reply.success || reply.data.id !== id) return;
				ws.off("message", onMessage);
				if (reply.data.error) reject(new Error(`${method}: ${JSON.stringify(reply.data.error)}`));
				else resolve(reply.data.result);
			};
			ws.on("message", onMessage);
		});
	};
	return {
		call,
		heapUsedBytes: async () => HeapUsageSchema.parse(await call("Runtime.getHeapUsage")).usedSize,
		close: () => ws.close(),
	};
}

/** Reads the JavaScript heap of the Worker behind `port`, connecting on first use; null when devtools cannot be reached. */
export function heapReader(port: number): { read(): Promise<number | null>; close(): void } {
	let tools: Promise<DevTools> | null = null;
	return {
		async read() {
			try {
				tools ??= connectDevTools(port);
				return await (await tools).heapUsedBytes();
			} catch {
				return null;
			}
		},
		close() {
			tools?.then((t) => t.close()).catch(() => undefined);
		},
	};
}
