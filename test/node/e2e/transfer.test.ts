/**
 * Handing a chat over in the console, with two agents in two browsers and the customer on a
 * phone: the second agent is told in their console and accepts; everyone sees it happen; the
 * case's earlier chat shows, collapsed, in the chat view.
 */
import { describe, expect, it } from "vitest";
import type { StartedSession } from "../../../src/shared/api";
import { apiCall } from "../../support/http";
import { audit } from "./axe";
import { PHONE, screenshot } from "./browser";
import { browserSuite, field, onScreen, send, signedInConsole, startSession } from "./people";

const COLLEAGUE_TOKEN = "colleague-token-1234";
const suite = browserSuite({ server: () => ({ vars: { AGENT_TOKENS: `dev-agent:dev-agent-token,colleague:${COLLEAGUE_TOKEN}` } }) });


describe("handing a chat over", () => {
	it("offers it to a second agent, who is told in their console and accepts; the customer and the first agent see it handed over", async () => {
		const started = await startSession(suite.server, "Printer on fire", { name: "Dana" });
		const first = await signedInConsole(suite, "dev-agent-token");
		const second = await signedInConsole(suite, COLLEAGUE_TOKEN);

		await first.goto(`${suite.server.url}/#chat/${started.sessionId}`);
		await first.getByText("Waiting for the customer to join").waitFor();
		const customer = (await suite.person(PHONE, null)).page;
		await customer.goto(started.inviteUrl);
		await customer.getByText("You're chatting with dev-agent").waitFor();
		await send(customer, "The printer is smoking");
		await first.locator(".msg.theirs", { hasText: "The printer is smoking" }).waitFor();

		// The first agent offers the chat; until it is accepted it stays theirs.
		await first.getByRole("button", { name: "Transfer", exact: true }).click();
		const dialog = first.getByRole("dialog", { name: "Hand this chat over" });
		await dialog.getByRole("button", { name: "Offer to colleague" }).waitFor();
		expect(await audit(first)).toEqual([]);
		await dialog.getByRole("button", { name: "Offer to colleague" }).click();
		await first.getByText(/^Offered to colleague: waiting for them to accept \(\d:\d\d left\)$/).waitFor();
		await dialog.waitFor({ state: "hidden" });
		await first.getByRole("button", { name: "Cancel offer" }).waitFor();
		expect(await onScreen(first, ".composer-input")).toBe(true);

		// The second agent's console says so, with the case and the customer; the tab title counts it.
		const offer = second.locator(".offer-item", { hasText: "Printer on fire" });
		await offer.waitFor();
		expect(await offer.locator(".queue-item-note").textContent()).toBe("Dana · from dev-agent");
		expect(await offer.locator(".case-id").textContent()).toBe(started.caseId);
		expect(await onScreen(second, ".offer-item")).toBe(true);
		await expect.poll(() => second.title()).toBe("(1) Support console");
		await screenshot(second, "console-transfer-offer");
		expect(await audit(second)).toEqual([]);
		expect(await audit(first)).toEqual([]);
		await second.getByRole("button", { name: "Accept Printer on fire" }).click();

		// The second agent has the chat, with everything said before.
		await second.locator(".sys", { hasText: "dev-agent handed the chat over to you" }).waitFor();
		await second.locator(".msg.theirs", { hasText: "The printer is smoking" }).waitFor();
		expect(await second.locator(".offer-item").count()).toBe(0);
		await expect.poll(() => second.title()).toBe("Support console");
		await send(second, "Hi Dana, colleague here: unplug it please");

		// The customer sees the handover as a system event and carries on, with no gap.
		await customer.locator(".sys", { hasText: "dev-agent handed the chat over to colleague" }).waitFor();
		await customer.locator(".msg.theirs", { hasText: "Hi Dana, colleague here: unplug it please" }).waitFor();
		await customer.getByText("You're chatting with colleague").waitFor();
		expect(await customer.locator(".sys", { hasText: "offered" }).count()).toBe(0);
		expect(await customer.locator(".msg").allTextContents()).toHaveLength(2);

		// The first agent's view says the chat was handed over, and they can no longer write in it.
		await first.getByText("You handed this chat over").waitFor();
		await first.getByText("colleague has it now.").waitFor();
		await first.locator(".sys", { hasText: "You handed the chat over to colleague" }).waitFor();
		expect(await field(first, "Message").getAttribute("placeholder")).toBe("You handed this chat over.");
		expect(await field(first, "Message").isDisabled()).toBe(true);
		expect(await first.getByRole("button", { name: "Transfer", exact: true }).isVisible()).toBe(false);
		expect(await first.locator(".msg.theirs", { hasText: "colleague here" }).count()).toBe(0);
		await screenshot(first, "console-handed-over");
		expect(await audit(first)).toEqual([]);
	});

	it("shows the case's earlier chat collapsed in the chat view, to read in full when opened", async () => {
		const started = await startSession(suite.server, "Router keeps rebooting", { name: "Lee" });
		const agent = await signedInConsole(suite, "dev-agent-token");
		await agent.goto(`${suite.server.url}/#chat/${started.sessionId}`);
		const customer = (await suite.person(PHONE, null)).page;
		await customer.goto(started.inviteUrl);
		await send(customer, "It rebooted three times today");
		await agent.locator(".msg.theirs", { hasText: "It rebooted three times today" }).waitFor();
		await send(agent, "Let's try a firmware update");
		await customer.locator(".msg.theirs", { hasText: "Let's try a firmware update" }).waitFor();
		await apiCall(suite.server.url, `/api/sessions/${started.sessionId}/end`, { agent: true, body: {} });

		// The next day the customer is back on the same case.
		const next = await apiCall<StartedSession>(suite.server.url, `/api/cases/${started.caseId}/sessions`, { agent: true, body: {} });
		await agent.goto(`${suite.server.url}/#chat/${next.sessionId}`);
		const earlier = agent.locator(".case-history");
		await earlier.getByText("Earlier chats of this case (1)").waitFor();
		const item = earlier.locator("details");
		expect(await item.count()).toBe(1);
		expect(await item.getAttribute("open")).toBeNull();
		expect(await item.locator("summary").textContent()).toMatch(/ · dev-agent · 2 messages Ended$/);
		await item.locator("summary").click();
		await item.locator(".msg.theirs", { hasText: "It rebooted three times today" }).waitFor();
		await item.locator(".msg.mine", { hasText: "Let's try a firmware update" }).waitFor();
		await item.locator(".sys", { hasText: "You joined" }).waitFor();
		await screenshot(agent, "console-case-history");
		expect(await audit(agent)).toEqual([]);
	});
});
