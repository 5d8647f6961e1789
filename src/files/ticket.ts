/**
 * Download tickets: what an <img> or a download link carries in its URL, since neither can send
 * an Authorization header. A ticket names one file of one session and who asked, and lives 60
 * seconds, so a URL that ends up in a log or the history is soon worth nothing. Its claims have
 * other names than a participant token's and a `use` of their own, so neither passes for the other.
 */
import { z } from "zod";
import type { Actor } from "../shared/protocol";
import { ROLES } from "../shared/protocol";
import { signClaims, verifyClaims } from "../security/signed-token";

export const TICKET_TTL_MS = 60_000;

const TicketSchema = z.object({
	use: z.literal("file"),
	s: z.string(),
	f: z.string(),
	p: z.string(),
	r: z.enum(ROLES),
	a: z.string(),
	exp: z.number(),
	n: z.string(),
});

export function signTicket(secret: string, sessionId: string, fileId: string, actor: Actor, now: number): Promise<string> {
	return signClaims(secret, { use: "file", s: sessionId, f: fileId, p: actor.id, r: actor.role, a: actor.name, exp: now + TICKET_TTL_MS });
}

/** Who the ticket was given to, if it is genuine, unexpired and for this very file. */
export async function verifyTicket(secret: string, ticket: string, sessionId: string, fileId: string, now: number): Promise<Actor | null> {
	const claims = await verifyClaims(secret, ticket, TicketSchema, now);
	if (!claims || claims.s !== sessionId || claims.f !== fileId) return null;
	return { id: claims.p, role: claims.r, name: claims.a };
}
