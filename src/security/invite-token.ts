/**
 * An invite token names its session and carries a 128-bit secret: 22 + 22 base64url characters.
 * The secret is an HMAC of the session id under the deployment's signing key, so the Worker tells
 * a forged link from a real one before anything reaches a session's Durable Object; the session
 * keeps the secret too and checks it again.
 */
import { base64url, secretsEqual } from "./random";
import { hmac } from "./signed-token";

export interface InviteToken {
	sessionId: string;
	secret: string;
}

export async function inviteSecretFor(signingKey: string, sessionId: string): Promise<string> {
	return base64url((await hmac(signingKey, `invite:${sessionId}`)).slice(0, 16));
}

export function inviteToken(sessionId: string, secret: string): string {
	return sessionId + secret;
}

/** The session and secret of a genuine invite token; null for anything else. */
export async function readInviteToken(signingKey: string, token: string): Promise<InviteToken | null> {
	if (!/^[A-Za-z0-9_-]{44}$/.test(token)) return null;
	const sessionId = token.slice(0, 22);
	const secret = token.slice(22);
	return (await secretsEqual(secret, await inviteSecretFor(signingKey, sessionId))) ? { sessionId, secret } : null;
}
