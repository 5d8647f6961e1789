/**
 * An invite token names its session, carries the session's 128-bit invite secret, and a MAC over
 * both under the invite-link key: 22 + 22 + 22 base64url characters. The MAC lets the Worker tell
 * a forged link from a real one before anything reaches a session's Durable Object; the secret is
 * random and kept by the session, which compares it, so reissuing a link (a new secret) kills the
 * old one without any key changing.
 */
import type { KeyList } from "../config";
import { INVITE_TOKEN_PATTERN } from "../shared/api";
import { base64url, randomId128, secretsEqual } from "./random";
import { hmac } from "./signed-token";

const PART = 22;

export interface InviteToken {
	sessionId: string;
	secret: string;
}

export function newInviteSecret(): string {
	return randomId128();
}

async function mac(key: string, sessionId: string, secret: string): Promise<string> {
	return base64url((await hmac(key, `invite:${sessionId}:${secret}`)).slice(0, 16));
}

export async function inviteToken(keys: KeyList, { sessionId, secret }: InviteToken): Promise<string> {
	return sessionId + secret + (await mac(keys[0], sessionId, secret));
}

/** The session and secret of a genuine invite token; null for anything else. */
export async function readInviteToken(keys: KeyList, token: string): Promise<InviteToken | null> {
	if (!INVITE_TOKEN_PATTERN.test(token)) return null;
	const sessionId = token.slice(0, PART);
	const secret = token.slice(PART, 2 * PART);
	const given = token.slice(2 * PART);
	const genuine = await Promise.all(keys.map(async (key) => secretsEqual(given, await mac(key, sessionId, secret))));
	return genuine.includes(true) ? { sessionId, secret } : null;
}
