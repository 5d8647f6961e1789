/**
 * The transcript of an ended chat as GET /api/sessions/{id}/transcript returns it, the shape
 * src/session/transcript.ts writes to R2. The console reads it with this schema.
 */
import * as z from "zod/mini";
import { CaseCardSchema, END_REASONS, ROLES, SESSION_STATUSES, SessionEventSchema } from "./protocol";

export const TranscriptSchema = z.object({
	format: z.literal(1),
	sessionId: z.string(),
	case: CaseCardSchema,
	status: z.enum(SESSION_STATUSES),
	endReason: z.nullable(z.enum(END_REASONS)),
	createdAt: z.number(),
	createdBy: z.string(),
	startedAt: z.nullable(z.number()),
	endedAt: z.nullable(z.number()),
	participants: z.array(z.object({ id: z.string(), role: z.enum(ROLES), name: z.string(), joinedAt: z.number() })),
	events: z.array(SessionEventSchema),
});
export type Transcript = z.infer<typeof TranscriptSchema>;
