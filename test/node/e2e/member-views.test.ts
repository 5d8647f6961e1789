/**
 * What the customer side reads on its pages: the customer who comes in before any agent is told
 * that the agent will see what they write meanwhile (the default recording setting), and a message
 * the customer deletes is gone from their colleague's page, marked deleted.
 */
import { describe, expect, it } from "vitest";
import type { LinkMade } from "../../../src/shared/api";
import { apiCall } from "../../support/http";
import { PHONE } from "./browser";
import { browserSuite, customerInChat, field, onScreen, send, startSession } from "./people";

const suite = browserSuite();

describe("the customer side's pages", () => {
	it("tell a customer who joins by key before any agent, on screen, that the agent will see what they write meanwhile", async () => {
		const started = await startSession(suite.server, "Router keeps rebooting");
		const customer = await suite.person(PHONE, "/join");
		await field(customer.page, "Support key").fill(started.supportKey);
		await customer.page.getByRole("button", { name: "Join the chat" }).click();

		const banner = customer.page.locator(".banner", { hasText: "Waiting for an agent" });
		await banner.waitFor();
		expect(await banner.textContent()).toContain("Until an agent joins, your messages wait here: the agent sees them when they join.");
		expect(await banner.textContent()).not.toContain("nothing written here is recorded");
		await expect.poll(() => onScreen(customer.page, ".banner")).toBe(true);
		// And they can already write, as it says.
		expect(await field(customer.page, "Message").isDisabled()).toBe(false);
	});

	it("show the customer's colleague a message the customer deleted as deleted, with nothing left of what it said", async () => {
		const { started, agent, customer } = await customerInChat(suite, "Wrong address on the invoice");
		const invite = await apiCall<LinkMade>(suite.server.url, `/api/sessions/${started.sessionId}/links`, { agent: true, body: { kind: "invite", role: "member", name: "Sam" } });
		const colleague = await suite.person(PHONE, null);
		await colleague.page.goto(invite.url);
		await colleague.page.getByText("You're chatting with dev-agent").waitFor();

		const secret = "My card number is 4111 1111 1111 1111";
		await send(customer.page, secret);
		await colleague.page.locator(".msg.theirs", { hasText: secret }).waitFor();
		await send(colleague.page, "Delete that, quick!");
		await customer.page.locator(".msg.theirs", { hasText: "Delete that, quick!" }).waitFor();

		const own = customer.page.locator(".msg.mine:not(.pending)", { hasText: secret });
		await own.getByRole("button", { name: "Delete" }).click();
		const confirm = customer.page.locator("dialog.dialog", { hasText: "Delete this message?" });
		await confirm.getByRole("button", { name: "Delete", exact: true }).click();

		// The colleague's page: the bubble says it was deleted, and the text is nowhere on it.
		const deleted = colleague.page.locator(".msg.theirs.msg-deleted");
		await deleted.getByText("This message was deleted.").waitFor();
		expect(await deleted.getByText("deleted", { exact: true }).count()).toBe(1);
		expect(await colleague.page.evaluate(() => document.body.innerText)).not.toContain("4111");
		expect(await colleague.page.getByText(secret).count()).toBe(0);
		// Their own message and the rest of the chat are as they were.
		expect(await colleague.page.locator(".msg.mine", { hasText: "Delete that, quick!" }).count()).toBe(1);

		// Coming back to the chat (a reload) shows the same: what stands, never the original.
		await colleague.page.reload();
		await colleague.page.locator(".msg.theirs.msg-deleted").getByText("This message was deleted.").waitFor();
		await colleague.page.locator(".msg.mine", { hasText: "Delete that, quick!" }).waitFor();
		expect(await colleague.page.evaluate(() => document.body.innerText)).not.toContain("4111");
		expect(await colleague.page.content()).not.toContain("4111");
		agent.close();
	});
});
