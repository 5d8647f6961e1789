/**
 * A minimal devtools-protocol client for the Worker's isolate, through workerd's inspector port:
 * enough for CPU profiles (bench/profile.ts), the JavaScript heap's size, which tells the
 * Worker's own memory apart from what workerd holds natively, and heap snapshots, which tell
 * which Durable Objects are alive (bench/live-objects.ts).
 */
import WebSocket from "ws";
import { z } from "zod";
import { countLiveObjects } from "./live-objects";

const ReplySchema = z.object({ id: z.number(), result: z.unknown().optional(), error: z.unknown().optional() });
const TargetsSchema = z.array(z.object({ webSocketDebuggerUrl: z.string() }));
const HeapUsageSchema = z.object({ usedSize: z.number() });
const SnapshotChunkSchema = z.object({ method: z.literal("HeapProfiler.addHeapSnapshotChunk"), params: z.object({ chunk: z.string() }) });

export interface DevTools {
	/** Sends one command; `onNote` sees the notifications that arrive until its answer does. */
	call(method: string, params?: object, onNote?: (message: unknown) => void): Promise<unknown>;
	/** Bytes in use in the isolate's JavaScript heap (live objects and garbage not yet collected). */
	heapUsedBytes(): Promise<number>;
	/** A snapshot of the isolate's heap, as V8 writes it; V8 collects garbage first. */
	heapSnapshot(): Promise<string>;
	close(): void;
}

/** A call the isolate has not answered in this long has failed (a heap snapshot takes about a second). */
const CALL_TIMEOUT_MS = 60_000;

/** One request at a time is all the benchmark needs. */
export async function connectDevTools(port: number): Promise<DevTools> {
	const [target] = TargetsSchema.parse(await (await fetch(`http://127.0.0.1:${port}/json/list`)).json());
	if (!target) throw new Error("no devtools target");
	const ws = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
	let next = 1;
	/** Sends one command; `onNote` sees every other message (notifications) until the answer comes, each parsed once. */
	const call = (method: string, params: object = {}, onNote?: (message: unknown) => void): Promise<unknown> => {
		const id = next++;
		ws.send(JSON.stringify({ id, method, params }));
		return new Promise((resolve, reject) => {
			const settle = (error: Error | null, result?: unknown) => {
				clearTimeout(timer);
				ws.off("message", onMessage).off("close", onClose);
				if (error) reject(error);
				else resolve(result);
			};
			const onMessage = (data: WebSocket.RawData) => {
				const message: unknown = JSON.parse(data.toString());
				const reply = ReplySchema.safeParse(message);
				if (!reply.success || reply.data.id !== id) return onNote?.(message);
				settle(reply.data.error ? new Error(`${method}: ${JSON.stringify(reply.data.error)}`) : null, reply.data.result);
			};
			const onClose = () => settle(new Error(`${method}: devtools closed`));
			const timer = setTimeout(() => settle(new Error(`${method}: no answer in ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
			ws.on("message", onMessage).on("close", onClose);
		});
	};
	return {
		call,
		heapUsedBytes: async () => HeapUsageSchema.parse(await call("Runtime.getHeapUsage")).usedSize,
		async heapSnapshot() {
			const chunks: string[] = [];
			await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false }, (message) => {
				const note = SnapshotChunkSchema.safeParse(message);
				if (note.success) chunks.push(note.data.params.chunk);
			});
			return chunks.join("");
		},
		close: () => ws.close(),
	};
}

export interface HeapReader {
	/** Bytes in use in the JavaScript heap; null when devtools cannot be reached. */
	read(): Promise<number | null>;
	/** Instances of a Durable Object class alive in the isolate; null when devtools cannot be reached or the snapshot cannot tell. */
	liveObjects(className: string): Promise<number | null>;
	close(): void;
}

/** Reads the heap of the Worker behind `port`, connecting on first use. */
export function heapReader(port: number): HeapReader {
	let tools: Promise<DevTools> | null = null;
	const ask = async <T>(question: (t: DevTools) => Promise<T>): Promise<T | null> => {
		try {
			tools ??= connectDevTools(port);
			return await question(await tools);
		} catch {
			return null;
		}
	};
	return {
		read: () => ask((t) => t.heapUsedBytes()),
		liveObjects: async (className) => {
			const snapshot = await ask((t) => t.heapSnapshot());
			return snapshot === null ? null : countLiveObjects(snapshot, className);
		},
		close() {
			tools?.then((t) => t.close()).catch(() => undefined);
		},
	};
}
