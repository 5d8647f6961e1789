/**
 * An agent sends a specialist their own link by SMS from the console's people dialog, after the
 * warning, through a Twilio-compatible provider played on loopback; the link lets the specialist in
 * under their own name, and never carries the customer's key. Another agent gets the chat's console
 * address, which opens it in their console once they are signed in.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeSmsProvider } from "../../support/fake-sms-provider";
import { audit } from "./axe";
import { PHONE, screenshot } from "./browser";
import { browserSuite, signedInConsole, startSession } from "./people";

const provider = await startFakeSmsProvider();
afterAll(() => provider.close());
const COLLEAGUE_TOKEN = "colleague-token-1234";
const suite = browserSuite({ server: () => ({ vars: { AGENT_TOKENS: `dev-agent:dev-agent-token,colleague:${COLLEAGUE_TOKEN}`, SMS_API_BASE: provider.url, SMS_ACCOUNT_SID: "AC0123456789", SMS_AUTH_TOKEN: "provider-secret", SMS_FROM: "+15550001111" } }) });


/** The agent's console on the chat, its people dialog open at the invite form. */
async function inviteInConsole(sessionId: string): Promise<{ agent: Page; people: Locator; invite: Locator }> {
	const agent = await signedInConsole(suite);
	await agent.goto(`${suite.server.url}/#chat/${sessionId}`);
	await agent.getByText("Waiting for the customer to join").waitFor();
	await agent.getByRole("button", { name: "People and devices" }).click();
	const people = agent.getByRole("dialog", { name: "Devices and people in this chat" });
	return { agent, people, invite: people.getByRole("form", { name: "Invite someone" }) };
}

describe("inviting from the console", () => {
	it("sends a specialist their own link, after the warning; a name is asked for first; the specialist comes in as themselves", async () => {
		const started = await startSession(suite.server, "Router keeps rebooting");
		const { agent, people, invite } = await inviteInConsole(started.sessionId);
		await invite.getByText("Anyone who joins this chat can see the details of this case.").waitFor();
		await invite.getByLabel("They join as", { exact: true }).selectOption({ label: "A specialist" });
		// The colleague's number is theirs to type: nothing of the customer's is filled in.
		const mobile = invite.getByLabel("Their mobile number", { exact: true });
		expect(await mobile.inputValue()).toBe("");
		await mobile.fill("+4915112345678");
		const sendSms = invite.getByRole("button", { name: "Send SMS" });
		const before = provider.received.length;
		await sendSms.click();
		await invite.getByText("Enter the name of whoever you invite.").waitFor();
		expect(provider.received.length).toBe(before);

		await invite.getByLabel("Their name", { exact: true }).fill("Priya");
		await sendSms.click();
		await invite.getByText("Sent to +49•••••678.").waitFor();
		await screenshot(agent, "members-sms-invite-console");
		expect(await audit(agent)).toEqual([]);
		expect(provider.received.length).toBe(before + 1);
		const body = provider.received[before]?.form.get("Body") ?? "";
		const link = /https?:\/\/\S+\/join#invite=[A-Za-z0-9_-]{66}/.exec(body)?.[0] ?? "";
		expect(link).not.toBe("");
		expect(link).not.toBe(started.inviteUrl);
		expect(body).not.toContain(started.supportKey.replace(/(\d{3})(\d{3})(\d{3})/, "$1 $2 $3"));
		// The link the SMS carried is listed as Priya's, and can be taken back there.
		await people.getByText("Invite for Priya").waitFor();
		await people.getByRole("button", { name: "Close" }).click();

		const specialist = (await suite.person(PHONE, null)).page;
		await specialist.goto(link.replace(/^https?:\/\/[^/]+/, suite.server.url));
		await specialist.getByRole("textbox", { name: "Message" }).waitFor();
		await agent.getByText("Priya joined the chat").waitFor();
		// As a specialist: the agent side, under their own name.
		await agent.getByRole("button", { name: "People and devices" }).click();
		await people.locator(".people-item", { hasText: "Priya" }).getByText("Specialist").waitFor();
	});

	it("gives another agent the chat's console address, which opens the chat in their console once signed in", async () => {
		const started = await startSession(suite.server, "Invoice shows the wrong VAT");
		const { agent, people, invite } = await inviteInConsole(started.sessionId);
		await invite.getByLabel("They join as", { exact: true }).selectOption({ label: "Another agent" });
		// No name to give and nothing to send: the colleague comes in as themselves.
		expect(await invite.getByLabel("Their name", { exact: true }).isVisible()).toBe(false);
		expect(await invite.getByRole("button", { name: "Send SMS" }).isVisible()).toBe(false);
		await invite.getByRole("button", { name: "Create link" }).click();
		await invite.getByText("The chat in the console: another agent opens it signed in as themselves. It lets nobody else in.").waitFor();
		const link = await invite.getByRole("textbox", { name: "Their invite link" }).inputValue();
		expect(link).toBe(`${suite.server.url}/#chat/${started.sessionId}`);
		await people.getByRole("button", { name: "Close" }).click();

		const colleague = await signedInConsole(suite, COLLEAGUE_TOKEN, link.slice(suite.server.url.length));
		await colleague.locator(".workspace").getByText("Invoice shows the wrong VAT").first().waitFor();
		await agent.getByText("colleague joined the chat").waitFor();
	});
});
