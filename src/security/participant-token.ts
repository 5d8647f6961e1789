/**
 * Participant tokens: signed by the Worker (signed-token.ts) so that a WebSocket upgrade can be
 * checked before it reaches a session's Durable Object. The session still checks that the
 * participant is in the chat and that the device the token names (`did`, the session's own id for
 * the admission) is not revoked: leaving, or a reissued link, revokes it (docs/security.md).
 */
import { z } from "zod";
import type { KeyList } from "../config";
import { ROLES } from "../shared/protocol";
import { signClaims, verifyClaims } from "./signed-token";

const ClaimsSchema = z.object({
	sid: z.string(),
	pid: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	/** The device the session let in: it stops working when the participant leaves. */
	did: z.string(),
	/** When it was issued, epoch milliseconds. */
	iat: z.number(),
	exp: z.number(),
	/** The console sign-in an agent's token was issued to: it dies with the sign-in (agent-sign-ins.ts). */
	signIn: z.string().optional(),
	/** A nonce, so that no two tokens are alike. */
	n: z.string(),
});
export type ParticipantClaims = z.infer<typeof ClaimsSchema>;

export function signParticipantToken(keys: KeyList, claims: Omit<ParticipantClaims, "n">): Promise<string> {
	return signClaims(keys, claims);
}

/** The claims of a genuine, unexpired token; null for anything else. */
export function verifyParticipantToken(keys: KeyList, token: string, now: number): Promise<ParticipantClaims | null> {
	return verifyClaims(keys, token, ClaimsSchema, now);
}
