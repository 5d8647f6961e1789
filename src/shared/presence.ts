/**
 * A person's presence as everyone sees it: connected (a device of theirs has the chat open),
 * idle (connected, but no message, keystroke or read for IDLE_AFTER_MS), or gone, and since when.
 * The session sends the facts; each page works out the state at the moment it draws it, so idle
 * needs no timer on the server and no frame of its own.
 */
import { IDLE_AFTER_MS } from "./protocol";

export type PresenceState = "connected" | "idle" | "gone";

/** What a person's presence rests on, as the state frames and the people list carry it. */
export interface PresenceFacts {
	online: boolean;
	since?: number | null | undefined;
	lastActiveAt?: number | null | undefined;
}

export function presenceOf(person: PresenceFacts, now: number): { state: PresenceState; since: number | null } {
	const since = person.since ?? null;
	if (!person.online) return { state: "gone", since };
	const active = Math.max(person.lastActiveAt ?? 0, since ?? 0);
	if (active > 0 && now - active >= IDLE_AFTER_MS) return { state: "idle", since: active + IDLE_AFTER_MS };
	return { state: "connected", since };
}
