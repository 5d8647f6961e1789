/**
 * An invite token names its session and carries a 128-bit secret: 22 + 22 base64url characters,
 * then the link's generation when it is not the first. The secret is an HMAC of the session id and
 * generation under the deployment's signing key, so the Worker tells a forged link from a real one
 * before anything reaches a session's Durable Object. The session keeps the current secret and
 * checks it again: when an agent reissues the link, the generation moves on and older links die.
 */
import { base64url, secretsEqual } from "./random";
import { hmac } from "./signed-token";

export interface InviteToken {
	sessionId: string;
	secret: string;
	generation: number;
}

/** The most generations a session's link can have: plenty for reissues, and it keeps tokens short. */
export const MAX_LINK_GENERATION = 999_999;

export async function inviteSecretFor(signingKey: string, sessionId: string, generation = 0): Promise<string> {
	// The first generation keeps the original derivation, so links sent before reissuing existed still work.
	const text = generation === 0 ? `invite:${sessionId}` : `invite:${sessionId}:${generation}`;
	return base64url((await hmac(signingKey, text)).slice(0, 16));
}

export function inviteToken(sessionId: string, secret: string, generation = 0): string {
	return sessionId + secret + (generation === 0 ? "" : String(generation));
}

/** The session, secret and generation of a genuine invite token; null for anything else. */
export async function readInviteToken(signingKey: string, token: string): Promise<InviteToken | null> {
	const match = /^([A-Za-z0-9_-]{22})([A-Za-z0-9_-]{22})([1-9]\d{0,5})?$/.exec(token);
	if (!match?.[1] || !match[2]) return null;
	const [, sessionId, secret] = match;
	const generation = match[3] ? Number(match[3]) : 0;
	return (await secretsEqual(secret, await inviteSecretFor(signingKey, sessionId, generation))) ? { sessionId, secret, generation } : null;
}
