/**
 * Who is connected, and since when, from the sockets themselves: each is accepted with a tag
 * saying when it connected, and tags outlive a wake. So an arrival costs no write; only a
 * departure (someone's last socket going) is written, by People.
 */
import type { Actor } from "../shared/protocol";
import type { Connections } from "../sockets/connections";

const CONNECTED = "connected:";

export function connectedTag(at: number): string {
	return `${CONNECTED}${at}`;
}

/** Each connected person's earliest live socket's connect time (0 for a socket accepted before the tag existed), leaving out `closing`. */
export function onlineSince(sockets: Connections<Actor>, closing?: WebSocket): Map<string, number> {
	const since = new Map<string, number>();
	for (const ws of sockets.all()) {
		const actor = ws === closing ? null : sockets.attachmentOf(ws);
		if (!actor) continue;
		const tag = sockets.tagsOf(ws).find((t) => t.startsWith(CONNECTED));
		const at = tag ? Number(tag.slice(CONNECTED.length)) : 0;
		since.set(actor.id, Math.min(since.get(actor.id) ?? at, at));
	}
	return since;
}

/**
 * Since when someone is as they are: connected, since their earliest live socket came, unless a
 * later change was written (their last socket is closing); gone, since the departure written.
 */
export function presenceSince(written: number | null, connectedAt: number | undefined): number | null {
	return connectedAt === undefined ? written : Math.max(written ?? 0, connectedAt);
}
