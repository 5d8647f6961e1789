/**
 * An agent sends a specialist their own link by SMS from the console's people dialog, after the
 * warning, through a Twilio-compatible provider played on loopback; the link lets the specialist in
 * under their own name, and never carries the customer's key.
 */
import type { BrowserContextOptions, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeSmsProvider } from "../../support/fake-sms-provider";
import { audit } from "./axe";
import { DESKTOP, PHONE, screenshot } from "./browser";
import { browserSuite, field, startSession } from "./people";

const provider = await startFakeSmsProvider();
afterAll(() => provider.close());
const suite = browserSuite({ server: () => ({ vars: { SMS_API_BASE: provider.url, SMS_ACCOUNT_SID: "AC0123456789", SMS_AUTH_TOKEN: "provider-secret", SMS_FROM: "+15550001111" } }) });

const CONSOLE: BrowserContextOptions = { ...DESKTOP, viewport: { width: 1366, height: 850 } };

async function signedIn(): Promise<Page> {
	const { page } = await suite.person(CONSOLE, "/");
	await field(page, "Agent token").fill("dev-agent-token");
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByText("Signed in as").waitFor();
	return page;
}

describe("inviting by SMS from the console", () => {
	it("sends a specialist their own link, after the warning; a name is asked for first; the specialist comes in as themselves", async () => {
		const started = await startSession(suite.server, "Router keeps rebooting");
		const agent = await signedIn();
		await agent.goto(`${suite.server.url}/#chat/${started.sessionId}`);
		await agent.getByText("Waiting for the customer to join").waitFor();

		await agent.getByRole("button", { name: "People and devices" }).click();
		const people = agent.getByRole("dialog", { name: "Devices and people in this chat" });
		const invite = people.getByRole("form", { name: "Invite someone" });
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
});
