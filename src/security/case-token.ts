/**
 * Customer case tokens: the business's own backend signs one for a customer and a case, so that
 * the widget or a link can open a chat about that case without the customer signing in here.
 * The format is the project's signed token (signed-token.ts), with its own key (CASE_TOKEN_KEYS):
 *
 *   token     = base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))
 *   payload   = {"caseId":"case-0123456789","exp":<epoch milliseconds>,"name"?:…,"email"?:…}
 *
 * base64url without padding; the MAC is over the payload's base64url text. README "Chat for a case"
 * shows it in a few lines of Node. A token is good until `exp` (keep it short: minutes).
 */
import { z } from "zod";
import type { KeyList } from "../config";
import { CASE_ID_PATTERN } from "../shared/api";
import { signClaims, verifyClaims } from "./signed-token";

const CaseTokenSchema = z.object({
	caseId: z.string().regex(CASE_ID_PATTERN),
	exp: z.number(),
	name: z.string().max(120).optional(),
	email: z.string().max(254).optional(),
});
export type CaseTokenClaims = z.infer<typeof CaseTokenSchema>;

export function verifyCaseToken(keys: KeyList, token: string, now: number): Promise<CaseTokenClaims | null> {
	return verifyClaims(keys, token, CaseTokenSchema, now);
}

/** What a business's backend does; here for the tests and the README's example. */
export function signCaseToken(keys: KeyList, claims: CaseTokenClaims): Promise<string> {
	return signClaims(keys, claims);
}
