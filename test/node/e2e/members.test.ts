/**
 * Members in the browser: the customer invites a colleague, who opens the link in a browser of
 * their own and chats; the customer removes them, and the colleague's page says so.
 */
import { describe, expect, it } from "vitest";
import type { SessionClient } from "../../../src/client/session-client";
import { audit } from "./axe";
import { PHONE, screenshot } from "./browser";
import { browserSuite, customerInChat, field, onScreen, send } from "./people";

const suite = browserSuite();

function heard(agent: SessionClient, text: string): Promise<string | undefined> {
	return new Promise((resolve) => {
		const stop = agent.subscribe((update) => {
			if (update.type === "event" && update.event.type === "message" && update.event.text === text) {
				stop();
				resolve(update.event.actor?.name);
			}
		});
	});
}

describe("a colleague in the chat", () => {
	it("is invited by the customer after the warning, chats from a third browser, and is told when the customer removes them", async () => {
		const { agent, customer } = await customerInChat(suite, "Printer offline for the whole team");

		await customer.page.getByRole("button", { name: "People and devices" }).click();
		const people = customer.page.getByRole("dialog", { name: "Devices and people in this chat" });
		const invite = people.getByRole("form", { name: "Invite a colleague" });
		// The warning is there before anything is sent.
		await invite.getByText("Anyone who joins this chat can see the details of this case.").waitFor();
		expect(await people.getByRole("textbox", { name: "Their invite link" }).count()).toBe(0);
		await field(customer.page, "Their name").fill("Sam");
		await invite.getByRole("button", { name: "Create link" }).click();
		const link = await people.getByRole("textbox", { name: "Their invite link" }).inputValue();
		expect(link).toMatch(new RegExp(`^${suite.server.url}/join#invite=[A-Za-z0-9_-]{66}$`));
		await people.getByText("Invite for Sam").waitFor();
		await screenshot(customer.page, "members-invite-desktop");
		expect(await audit(customer.page)).toEqual([]);
		await people.getByRole("button", { name: "Close" }).click();

		// The colleague, in a browser of their own.
		const colleague = await suite.person(PHONE, null);
		await colleague.page.goto(link);
		await colleague.page.getByText("You're chatting with dev-agent").waitFor();
		const agentHears = heard(agent, "Hi, I'm Sam from IT");
		await send(colleague.page, "Hi, I'm Sam from IT");
		expect(await agentHears).toBe("Sam");
		await customer.page.locator(".msg.theirs", { hasText: "Hi, I'm Sam from IT" }).waitFor();
		await customer.page.getByText("Sam joined the chat").waitFor();

		// Sam corrects their message: the others see it edited; the agent keeps the original too (the session's tests).
		const own = colleague.page.locator(".msg.mine", { hasText: "Hi, I'm Sam from IT" });
		await own.getByRole("button", { name: "Edit" }).click();
		await own.getByRole("textbox", { name: "Edit your message" }).fill("Hi, I'm Sam from the IT desk");
		await own.getByRole("button", { name: "Save" }).click();
		const edited = customer.page.locator(".msg.theirs", { hasText: "Hi, I'm Sam from the IT desk" });
		await edited.getByText("edited", { exact: true }).waitFor();
		expect(await audit(colleague.page)).toEqual([]);
		// One message, the revised one: not a second bubble, and not the old text.
		expect(await customer.page.locator(".msg.theirs").count()).toBe(1);
		expect(await customer.page.locator(".msg", { hasText: "Hi, I'm Sam from IT" }).count()).toBe(0);

		// The customer sees Sam among the people and devices, and removes them.
		await customer.page.getByRole("button", { name: "People and devices" }).click();
		const samItem = people.locator(".people-item", { hasText: "Sam" });
		await samItem.getByText(/^connected since/).waitFor();
		await people.getByRole("button", { name: "Remove Sam" }).click();
		const confirm = customer.page.locator("dialog.dialog", { hasText: "Remove Sam from this chat?" });
		await confirm.getByRole("button", { name: "Remove", exact: true }).click();
		await samItem.getByText("removed", { exact: true }).waitFor();
		await people.getByRole("button", { name: "Close" }).click();
		await customer.page.getByText("You removed Sam from the chat").waitFor();

		// The colleague's page says so, on screen, and takes nothing more.
		await colleague.page.getByText("You were removed from this chat").first().waitFor();
		await expect.poll(() => onScreen(colleague.page, ".banner")).toBe(true);
		expect(await colleague.page.locator(".banner").textContent()).toContain("You no longer see what is written in it.");
		expect(await colleague.page.locator(".composer-input").isDisabled()).toBe(true);
		await screenshot(colleague.page, "members-removed-phone");
		expect(await audit(colleague.page)).toEqual([]);
		// Their link no longer lets them in.
		await colleague.page.goto(link);
		await colleague.page.getByText("You were removed from this chat").first().waitFor();
		agent.close();
	});

	it("lets the customer take back the link they continued on another device with: that device is told, this one chats on", async () => {
		const { started, agent, customer: laptop } = await customerInChat(suite, "Two devices");
		await laptop.page.getByRole("button", { name: "Continue on another device" }).click();
		const dialog = laptop.page.getByRole("dialog", { name: "Continue on another device" });
		const link = await dialog.getByRole("textbox", { name: "Link to this chat" }).inputValue();
		// A link of its own, not the chat's invite link.
		expect(link).not.toBe(started.inviteUrl);
		await dialog.getByRole("button", { name: "Close" }).click();

		const phone = await suite.person(PHONE, null);
		await phone.page.goto(link);
		await phone.page.getByText("You're chatting with dev-agent").waitFor();

		await laptop.page.getByRole("button", { name: "People and devices" }).click();
		const people = laptop.page.getByRole("dialog", { name: "Devices and people in this chat" });
		await people.getByRole("button", { name: "Revoke: Link to another device of Dana" }).click();
		await people.getByText("revoked", { exact: true }).waitFor();
		await people.getByRole("button", { name: "Close" }).click();

		await phone.page.getByText("This link was revoked").first().waitFor();
		expect(await phone.page.locator(".composer-input").isDisabled()).toBe(true);
		await send(laptop.page, "Still here on the laptop");
		await laptop.page.locator(".msg.mine:not(.pending)", { hasText: "Still here on the laptop" }).waitFor();
		agent.close();
	});
});
