/**
 * Download tickets: what an <img> or a download link carries in its URL, since neither can send
 * an Authorization header. A ticket names one file of one session and who asked, and lives 60
 * seconds, so a URL that ends up in a log or the history is soon worth nothing. Its claims have
 * other names than a participant token's and a `use` of their own, so neither passes for the other.
 */
import { z } from "zod";
import type { KeyList } from "../config";
import { ROLES } from "../shared/protocol";
import { signClaims, verifyClaims } from "../security/signed-token";
import type { FileCaller } from "./contract";

export const TICKET_TTL_MS = 60_000;

const TicketSchema = z.object({
	use: z.literal("file"),
	s: z.string(),
	f: z.string(),
	p: z.string(),
	r: z.enum(ROLES),
	a: z.string(),
	/** The device of the participant token it was given for; null for an agent. */
	d: z.string().nullable(),
	exp: z.number(),
	n: z.string(),
});

/** Signed with the participant tokens' keys, whose rotation it follows; its claims keep it from passing for one. */
export function signTicket(keys: KeyList, sessionId: string, fileId: string, caller: FileCaller, now: number): Promise<string> {
	return signClaims(keys, { use: "file", s: sessionId, f: fileId, p: caller.id, r: caller.role, a: caller.name, d: caller.deviceId, exp: now + TICKET_TTL_MS });
}

/** Who the ticket was given to, if it is genuine, unexpired and for this very file. */
export async function verifyTicket(keys: KeyList, ticket: string, sessionId: string, fileId: string, now: number): Promise<FileCaller | null> {
	const claims = await verifyClaims(keys, ticket, TicketSchema, now);
	if (!claims || claims.s !== sessionId || claims.f !== fileId) return null;
	return { id: claims.p, role: claims.r, name: claims.a, deviceId: claims.d };
}
