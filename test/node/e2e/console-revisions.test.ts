/**
 * What the agent sees of the correspondence in the console: messages written before they joined,
 * marked so, and every revision a customer made, the original kept under Earlier versions.
 */
import { describe, expect, it } from "vitest";
import { SessionClient } from "../../../src/client/session-client";
import type { Joined } from "../../../src/shared/api";
import { apiCall } from "../../support/http";
import { screenshot } from "./browser";
import { browserSuite, signedInConsole, startSession } from "./people";

const suite = browserSuite();

/** Sends and resolves with the message's sequence number once the session has taken it. */
function sent(client: SessionClient, text: string): Promise<number> {
	const clientId = client.send(text);
	return new Promise((resolve) => {
		const stop = client.subscribe((update) => {
			if (update.type === "ack" && update.clientId === clientId) {
				stop();
				resolve(update.seq);
			}
		});
	});
}


describe("the agent's view of the correspondence", () => {
	it("marks what was written before the agent joined, and keeps the original of every edit and delete", async () => {
		const started = await startSession(suite.server, "Printer jams on page two");
		const customer = new SessionClient({ baseUrl: suite.server.url, joined: await apiCall<Joined>(suite.server.url, "/api/join", { body: { supportKey: started.supportKey } }) });
		await new Promise<void>((resolve) => {
			const stop = customer.subscribe((update) => {
				if (update.type === "state") {
					stop();
					resolve();
				}
			});
			customer.connect();
		});
		const first = await sent(customer, "It jams on every second page");

		const page = await signedInConsole(suite);
		await page.goto(`${suite.server.url}/#chat/${started.sessionId}`);
		const early = page.locator(".msg.theirs", { hasText: "It jams on every second page" });
		await early.getByText("sent before you joined").waitFor();

		customer.editMessage(first, "It jams on every page");
		const second = await sent(customer, "My password is hunter2");
		customer.deleteMessage(second);

		const edited = page.locator(".msg.theirs", { hasText: "It jams on every page" });
		await edited.getByText("edited", { exact: true }).waitFor();
		await edited.getByText("Earlier versions").click();
		await edited.locator(".msg-earlier-list li", { hasText: "It jams on every second page" }).waitFor();

		// A deleted message stays legible for the agent, struck through and marked.
		const deleted = page.locator(".msg.theirs.msg-struck", { hasText: "My password is hunter2" });
		await deleted.getByText("deleted", { exact: true }).waitFor();
		// One bubble per message: revisions are folded into it, not added as messages of their own.
		expect(await page.locator(".msg.theirs").count()).toBe(2);
		await screenshot(page, "console-revisions");
		customer.close();
	});
});
