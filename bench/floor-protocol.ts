/**
 * What the two baselines of the benchmark say on the wire: the bare `ws` server and the floor
 * Durable Object. It is the smallest subset of the chat protocol (src/shared/protocol.ts) that the
 * benchmark's clients check: a `state` frame with the log's head, then `events` frames whose
 * events carry a gap-free `seq` and the sender's `clientId`. Kept free of parsing libraries so
 * the baselines do as little per frame as a hand-written server would.
 */
import { CLIENT, LIMITS, SERVER } from "../src/shared/protocol";

export const BACKLOG_BATCH = LIMITS.backlogBatch;

/** Asks a floor room which instance of the object is answering: a new one means it was evicted. */
export const PROBE = "probe";

export type FloorFrame = { type: "message"; clientId: string; text: string } | { type: typeof PROBE };

/** Reads a client frame; null for anything else (the baselines ignore it). */
export function parseFloorFrame(data: string): FloorFrame | null {
	let value: unknown;
	try {
		value = JSON.parse(data);
	} catch {
		return null;
	}
	if (typeof value !== "object" || value === null || !("type" in value)) return null;
	if (value.type === PROBE) return { type: PROBE };
	if (value.type !== CLIENT.message || !("clientId" in value) || !("text" in value)) return null;
	const { clientId, text } = value;
	return typeof clientId === "string" && typeof text === "string" ? { type: CLIENT.message, clientId, text } : null;
}

/** One event, encoded once: it is stored and sent as the same string, like the chat's event log. */
export function encodeEvent(seq: number, clientId: string, text: string, at: number): string {
	return JSON.stringify({ seq, at, actor: null, type: CLIENT.message, clientId, text });
}

export function eventsFrame(eventsJson: string[]): string {
	return `{"type":"${SERVER.events}","events":[${eventsJson.join(",")}]}`;
}

export function stateFrame(lastSeq: number): string {
	return JSON.stringify({ type: SERVER.state, state: { lastSeq } });
}

export function probeReply(instance: string): string {
	return JSON.stringify({ type: PROBE, instance });
}

/** The routes both baselines answer. */
export const FLOOR_ROUTE = /^\/rooms\/([A-Za-z0-9_-]{1,64})\/(join|ws)$/;
