/**
 * The tail Worker's lines (bench/metering/tail-worker.js) read back from the server's output: one
 * per invocation of the chat Worker (a request, a WebSocket upgrade included) and of each of its
 * Durable Objects (an RPC call, a fetch, a WebSocket event, an alarm).
 */
import { z } from "zod";

const TraceSchema = z.object({
	entrypoint: z.string().nullable(),
	model: z.string().nullable(),
	kind: z.string(),
	at: z.number().nullable(),
	outcome: z.string().nullable(),
	path: z.string().nullable(),
	method: z.string().nullable(),
});
export type Trace = z.infer<typeof TraceSchema>;

const PREFIX = "bench-trace ";

/** Every trace line in `output`. */
export function tracesIn(output: string): Trace[] {
	const traces: Trace[] = [];
	for (const line of output.split("\n")) {
		const at = line.indexOf(PREFIX);
		if (at < 0) continue;
		try {
			const parsed = TraceSchema.safeParse(JSON.parse(line.slice(at + PREFIX.length)));
			if (parsed.success) traces.push(parsed.data);
		} catch {
			// A line cut in two by the pipe: the next read has it whole.
		}
	}
	return traces;
}

export const isWorkerRequest = (t: Trace) => t.model !== "durableObject" && t.kind === "fetch";
export const isObjectEvent = (t: Trace) => t.model === "durableObject";
/** WebSocket messages and closes reaching an object: billed at 20:1. */
export const isSocketMessage = (t: Trace) => isObjectEvent(t) && t.kind.startsWith("ws-");
