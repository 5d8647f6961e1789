/**
 * Participant tokens: signed with HMAC-SHA256 by the Worker so that a WebSocket upgrade can be
 * checked before it reaches a session's Durable Object. The session still checks that the
 * participant exists and has not been removed.
 */
import { z } from "zod";
import { ROLES } from "../shared/protocol";
import { base64url, fromBase64url, randomId128 } from "./random";

const ClaimsSchema = z.object({
	sid: z.string(),
	pid: z.string(),
	role: z.enum(ROLES),
	name: z.string(),
	exp: z.number(),
	/** A nonce, so that no two tokens are alike. */
	n: z.string(),
});
export type ParticipantClaims = z.infer<typeof ClaimsSchema>;

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
	let key = keys.get(secret);
	if (!key) {
		key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
		keys.set(secret, key);
	}
	return key;
}

export async function signParticipantToken(secret: string, claims: Omit<ParticipantClaims, "n">): Promise<string> {
	const payload = base64url(new TextEncoder().encode(JSON.stringify({ ...claims, n: randomId128() })));
	const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(payload));
	return `${payload}.${base64url(new Uint8Array(signature))}`;
}

/** The claims of a genuine, unexpired token; null for anything else. */
export async function verifyParticipantToken(secret: string, token: string, now: number): Promise<ParticipantClaims | null> {
	const [payload, signature, extra] = token.split(".");
	if (!payload || !signature || extra !== undefined || token.length > 2048) return null;
	const signatureBytes = fromBase64url(signature);
	const payloadBytes = fromBase64url(payload);
	if (!signatureBytes || !payloadBytes) return null;
	const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signatureBytes, new TextEncoder().encode(payload));
	if (!valid) return null;
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(payloadBytes));
	} catch {
		return null;
	}
	const claims = ClaimsSchema.safeParse(json);
	if (!claims.success || claims.data.exp <= now) return null;
	return claims.data;
}
