/** Watches a SessionClient from a Node test: what it reports, and a wait for a condition with a time limit. */
import type { ClientUpdate, SessionClient } from "../../src/client/session-client";
import type { SessionEvent } from "../../src/shared/protocol";
import { Waiters } from "./waiters";

/** Collects what a client reports, and waits for a condition with a time limit. */
export function watch(client: SessionClient) {
	const events: SessionEvent[] = [];
	const updates: ClientUpdate[] = [];
	const waiters = new Waiters();
	client.subscribe((update) => {
		updates.push(update);
		if (update.type === "event") events.push(update.event);
		waiters.wake();
	});
	const until = async (test: () => boolean, what: string, ms = 10_000): Promise<void> => {
		await waiters.until(test, what, ms);
	};
	const texts = () => events.flatMap((e) => (e.type === "message" ? [e.text] : []));
	return { events, updates, until, texts };
}
