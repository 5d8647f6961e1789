/** The queue of chats waiting for an agent, as GET /api/queue and the console's live socket send it. */
import * as z from "zod/mini";
import { parseJsonAs } from "./json";
import { SEVERITIES } from "./protocol";

export const QueueEntrySchema = z.object({
	sessionId: z.string(),
	caseId: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	/** Epoch milliseconds: since when the customer has been waiting. */
	waitingSince: z.number(),
	/** The agent a returning customer is routed back to, if any. */
	previousAgent: z.nullable(z.string()),
});
export type QueueEntry = z.infer<typeof QueueEntrySchema>;

/** What GET /api/queue/ws sends on connect and whenever the queue changes. */
export const QueueFrameSchema = z.object({ type: z.literal("queue"), queue: z.array(QueueEntrySchema) });
export type QueueFrame = z.infer<typeof QueueFrameSchema>;

export function parseQueueFrame(raw: string): QueueFrame | null {
	return parseJsonAs(QueueFrameSchema, raw);
}
