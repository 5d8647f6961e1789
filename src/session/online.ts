/**
 * Who is connected, and since when, from the sockets themselves: each is accepted with a tag
 * saying since when its person has been connected (the time their earliest socket still open
 * came), and tags outlive a wake. So an arrival costs no write; only a departure (someone's last
 * socket going) is written, by People.
 */
import type { Actor } from "../shared/protocol";
import type { Connections } from "../sockets/connections";
import { isOpen } from "../sockets/connections";

const CONNECTED = "connected:";

function connectedAtOf(tags: string[]): number | null {
	const tag = tags.find((t) => t.startsWith(CONNECTED));
	const at = tag === undefined ? Number.NaN : Number(tag.slice(CONNECTED.length));
	return Number.isSafeInteger(at) ? at : null;
}

/**
 * The tag for a socket of `actorId` opening at `now`: a second device carries the first one's
 * time on, so that "connected since" stays put when the first closes before it.
 */
export function connectedTag(sockets: Connections<Actor>, actorId: string, now: number): string {
	let since = now;
	for (const ws of sockets.tagged(actorId)) if (isOpen(ws)) since = Math.min(since, connectedAtOf(sockets.tagsOf(ws)) ?? now);
	return `${CONNECTED}${since}`;
}

/**
 * Each connected person, leaving out `closing` and sockets being closed: since when (their
 * sockets' earliest tag), or null when no socket of theirs says (accepted before the tag existed).
 */
export function onlineSince(sockets: Connections<Actor>, closing?: WebSocket): Map<string, number | null> {
	const since = new Map<string, number | null>();
	for (const ws of sockets.all()) {
		const actor = ws === closing || !isOpen(ws) ? null : sockets.attachmentOf(ws);
		if (!actor) continue;
		const at = connectedAtOf(sockets.tagsOf(ws));
		const known = since.get(actor.id) ?? null;
		since.set(actor.id, at === null ? known : Math.min(known ?? at, at));
	}
	return since;
}

/**
 * Since when someone is as they are: connected, since their sockets' tag says, unless a later
 * change was written (their last socket is closing); gone, since the departure written.
 */
export function presenceSince(written: number | null, connectedAt: number | null | undefined): number | null {
	return connectedAt === null || connectedAt === undefined ? written : Math.max(written ?? 0, connectedAt);
}
