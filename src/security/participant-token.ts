/**
 * Participant tokens: signed by the Worker (signed-token.ts) so that a WebSocket upgrade can be
 * checked before it reaches a session's Durable Object. The session still checks that the
 * participant exists and has not been removed.
 */
import { z } from "zod";
import { ROLES } from "../shared/protocol";
import { signClaims, verifyClaims } from "./signed-token";

const ClaimsSchema = z.object({
	sid: z.string(),
	pid: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	/** The device the session let in: it stops working when the participant leaves. */
	did: z.string(),
	exp: z.number(),
	/** A nonce, so that no two tokens are alike. */
	n: z.string(),
});
export type ParticipantClaims = z.infer<typeof ClaimsSchema>;

export function signParticipantToken(secret: string, claims: Omit<ParticipantClaims, "n">): Promise<string> {
	return signClaims(secret, claims);
}

/** The claims of a genuine, unexpired token; null for anything else. */
export function verifyParticipantToken(secret: string, token: string, now: number): Promise<ParticipantClaims | null> {
	return verifyClaims(secret, token, ClaimsSchema, now);
}
