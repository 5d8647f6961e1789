/**
 * Handing a chat to another agent, as the HTTP API and the console's live feed carry it: what a
 * transfer asks for, the offers an agent's console shows (GET /api/queue/ws sends them as a
 * `transfers` frame), the agents a chat can be offered to, and a case's earlier chats.
 */
import * as z from "zod/mini";
import { parseJsonAs } from "./json";
import { END_REASONS, SESSION_STATUSES, SEVERITIES } from "./protocol";
import { textChecks } from "./text";

/** To another agent, by name (one of the deployment's agents), or back to the queue. */
export const TransferRequestSchema = z.discriminatedUnion("to", [
	z.strictObject({ to: z.literal("agent"), agent: z.string().check(...textChecks("line"), z.minLength(1, "which agent?"), z.maxLength(120)) }),
	z.strictObject({ to: z.literal("queue") }),
]);
export type TransferRequest = z.infer<typeof TransferRequestSchema>;

export const TransferAnswerSchema = z.strictObject({ accept: z.boolean() });
export type TransferAnswer = z.infer<typeof TransferAnswerSchema>;

/** A chat offered to the agent whose console this is, until `expiresAt`. */
export const TransferOfferEntrySchema = z.object({
	sessionId: z.string(),
	caseId: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	customerName: z.string(),
	/** The agent who offers it. */
	from: z.string(),
	offeredAt: z.number(),
	expiresAt: z.number(),
});
export type TransferOfferEntry = z.infer<typeof TransferOfferEntrySchema>;

/** What the console's feed sends on connect and whenever the chats offered to its agent change. */
export const TransfersFrameSchema = z.object({ type: z.literal("transfers"), offers: z.array(TransferOfferEntrySchema) });
export type TransfersFrame = z.infer<typeof TransfersFrameSchema>;

export function parseTransfersFrame(raw: string): TransfersFrame | null {
	return parseJsonAs(TransfersFrameSchema, raw);
}

/** The agents a chat can be handed to: `online` while they have a console open. */
export const AgentListSchema = z.object({ agents: z.array(z.object({ name: z.string(), online: z.boolean() })) });
export type AgentList = z.infer<typeof AgentListSchema>;

/** One chat of a case, as its history lists it; `transcript`: its transcript is in R2 (else it is read from its log). */
export const CaseSessionSchema = z.object({
	sessionId: z.string(),
	status: z.enum(SESSION_STATUSES),
	endReason: z.nullable(z.enum(END_REASONS)),
	createdAt: z.number(),
	startedAt: z.nullable(z.number()),
	endedAt: z.nullable(z.number()),
	/** The agents who were in it, in the order they first joined. */
	agents: z.array(z.string()),
	messages: z.number(),
	transcript: z.boolean(),
});
export type CaseSession = z.infer<typeof CaseSessionSchema>;

/** GET /api/cases/{caseId}/history: the case's chats, oldest first. */
export const CaseHistorySchema = z.object({ caseId: z.string(), sessions: z.array(CaseSessionSchema) });
export type CaseHistory = z.infer<typeof CaseHistorySchema>;
