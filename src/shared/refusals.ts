/**
 * Why a join is refused, with the status and the message the API answers. Shared with the join
 * page, which tells an expired key from an ended chat (both 410) by the message.
 */
export const REFUSALS = {
	unknown: { status: 404, error: "no chat matches that key or link" },
	expired: { status: 410, error: "this support key has expired: ask your support agent for a new one" },
	replaced: { status: 410, error: "this support key was replaced by a newer one: use the latest link or key your support agent sent" },
	link_replaced: { status: 410, error: "this link was replaced by a newer one: ask your support agent for the new link" },
	used: { status: 410, error: "this support key has already been used: open the link your support agent sent, or ask for a new key" },
	ended: { status: 410, error: "this chat has ended" },
	resolved: { status: 410, error: "this chat has ended and its case is resolved" },
	forbidden: { status: 403, error: "you cannot join this chat" },
	/** Past the deployment's budget of wrong keys with no Turnstile configured (routes/join.ts). */
	key_paused: { status: 503, error: "joining by key is paused after too many wrong keys: open the link your support agent sent" },
	/** A colleague's or a device's link that its maker or an agent took back, or that ran out. */
	link_revoked: { status: 410, error: "this link was revoked: ask whoever sent it for a new one" },
	link_expired: { status: 410, error: "this link has expired: ask whoever sent it for a new one" },
	removed: { status: 403, error: "you were removed from this chat" },
} as const;
export type Refusal = keyof typeof REFUSALS;

function isRefusal(key: string): key is Refusal {
	return key in REFUSALS;
}

/** The refusal an answer stands for, if it is one. */
export function refusalOf(status: number, error: string): Refusal | null {
	for (const [reason, refusal] of Object.entries(REFUSALS)) {
		if (isRefusal(reason) && refusal.status === status && refusal.error === error) return reason;
	}
	return null;
}
