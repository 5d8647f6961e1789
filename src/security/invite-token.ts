/**
 * An invite token names its session and carries a 128-bit secret: 22 + 22 base64url characters.
 * Naming the session in the token spares a global lookup; the secret is what lets anyone in.
 */
import { randomId128 } from "./random";

export interface InviteToken {
	sessionId: string;
	secret: string;
}

export function newInviteSecret(): string {
	return randomId128();
}

export function inviteToken(sessionId: string, secret: string): string {
	return sessionId + secret;
}

export function splitInviteToken(token: string): InviteToken | null {
	if (!/^[A-Za-z0-9_-]{44}$/.test(token)) return null;
	return { sessionId: token.slice(0, 22), secret: token.slice(22) };
}
