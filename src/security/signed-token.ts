/**
 * Signed tokens: JSON claims in base64url and an HMAC-SHA256 over them, so the Worker can check
 * them without a lookup. Participant tokens and the console's agent sessions are both made here,
 * each with a key of its own (config.ts) and a claims schema the other kind cannot satisfy, so one
 * can never be passed off as the other. `keys` is newest first: the first signs, any verifies.
 */
import type { z } from "zod";
import type { KeyList } from "../config";
import { base64url, fromBase64url, randomId128 } from "./random";

const MAX_TOKEN_CHARS = 2048;

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
	let key = keys.get(secret);
	if (!key) {
		key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
		keys.set(secret, key);
	}
	return key;
}

/** HMAC-SHA256 of `text` under `secret`. */
export async function hmac(secret: string, text: string): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(text)));
}

/** Signs the claims with a nonce `n` added, so that no two tokens are alike. */
export async function signClaims<C extends { exp: number }>([newest]: KeyList, claims: C): Promise<string> {
	const payload = base64url(new TextEncoder().encode(JSON.stringify({ ...claims, n: randomId128() })));
	return `${payload}.${base64url(await hmac(newest, payload))}`;
}

/** The claims of a genuine, unexpired token that fits the schema; null for anything else. */
export async function verifyClaims<T extends { exp: number }>(keys: KeyList, token: string, schema: z.ZodType<T>, now: number): Promise<T | null> {
	const [payload, signature, extra] = token.split(".");
	if (!payload || !signature || extra !== undefined || token.length > MAX_TOKEN_CHARS) return null;
	const signatureBytes = fromBase64url(signature);
	const payloadBytes = fromBase64url(payload);
	if (!signatureBytes || !payloadBytes) return null;
	const signed = new TextEncoder().encode(payload);
	const valid = await Promise.all(keys.map(async (key) => crypto.subtle.verify("HMAC", await hmacKey(key), signatureBytes, signed)));
	if (!valid.includes(true)) return null;
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(payloadBytes));
	} catch {
		return null;
	}
	const claims = schema.safeParse(json);
	if (!claims.success || claims.data.exp <= now) return null;
	return claims.data;
}
