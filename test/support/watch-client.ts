/** Watches a SessionClient from a Node test: what it reports, and a wait for a condition with a time limit. */
import type { ClientUpdate, SessionClient } from "../../src/client/session-client";
import type { SessionEvent } from "../../src/shared/protocol";

/** Collects what a client reports, and waits for a condition with a time limit. */
export function watch(client: SessionClient) {
	const events: SessionEvent[] = [];
	const updates: ClientUpdate[] = [];
	const waiters = new Set<() => void>();
	client.subscribe((update) => {
		updates.push(update);
		if (update.type === "event") events.push(update.event);
		for (const w of [...waiters]) w();
	});
	const until = (test: () => boolean, what: string, ms = 10_000) =>
		new Promise<void>((resolve, reject) => {
			const check = () => {
				if (!test()) return;
				waiters.delete(check);
				clearTimeout(timer);
				resolve();
			};
			const timer = setTimeout(() => {
				waiters.delete(check);
				reject(new Error(`timed out waiting for ${what}`));
			}, ms);
			waiters.add(check);
			check();
		});
	const texts = () => events.flatMap((e) => (e.type === "message" ? [e.text] : []));
	return { events, updates, until, texts };
}
