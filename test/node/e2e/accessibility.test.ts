/**
 * An automated accessibility audit (axe-core, WCAG 2.1 A and AA rules) of every screen of the
 * console and the end-user page, in light and dark colour schemes: names and labels, contrast,
 * landmarks, ARIA. What a machine cannot judge (the order of focus, how it reads aloud) the other
 * browser tests check through roles and labels.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseRecord, StartedSession } from "../../../src/shared/api";
import type { DevServer } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";
import { DESK_FIRST_ROUTING } from "../../support/routing";
import { apiCall } from "../../support/http";
import { audit } from "./axe";
import { DESKTOP, PHONE, connectionSwitch, launchBrowser } from "./browser";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
	// Without Turnstile, whose script would come from Cloudflare: the chat page's form is audited as it is drawn then.
	[server, browser] = await Promise.all([startDevServer({ vars: { TURNSTILE_SITE_KEY: "", ROUTING: DESK_FIRST_ROUTING } }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function session(subject: string): Promise<StartedSession> {
	const created = await apiCall<CaseRecord>(server.url, "/api/cases", { agent: true, body: { subject, severity: "urgent", customer: { name: "Walter" } } });
	return apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
}

describe.each(["light", "dark"] as const)("accessibility, %s colours", (colorScheme) => {
	it("finds nothing wrong on the end-user page: the key form, the chat, offline with an unsent message, a refusal", async () => {
		const context = await browser.newContext({ ...PHONE, colorScheme });
		const page = await context.newPage();
		await page.goto(`${server.url}/join`);
		await page.getByLabel("Support key", { exact: true }).waitFor();
		const problems = await audit(page);

		const started = await session("Printer on fire");
		const network = await connectionSwitch(context);
		await page.goto(started.inviteUrl);
		await page.getByLabel("Message", { exact: true }).fill("Hello, my printer is on fire");
		await page.getByLabel("Message", { exact: true }).press("Enter");
		await page.locator(".msg.mine:not(.pending)", { hasText: "Hello, my printer is on fire" }).waitFor();
		problems.push(...(await audit(page)));

		await page.getByRole("button", { name: "Continue on another device" }).click();
		await page.getByRole("img", { name: "QR code of the link to this chat" }).waitFor();
		problems.push(...(await audit(page)));
		await page.getByRole("button", { name: "Close" }).click();

		// Offline, with a message waiting to be sent: the banner and the unsent message must read as well.
		network.cut();
		await page.getByText("Connection lost. Reconnecting…").waitFor();
		await page.getByLabel("Message", { exact: true }).fill("Is anyone there?");
		await page.getByLabel("Message", { exact: true }).press("Enter");
		await page.locator(".msg.pending", { hasText: "Is anyone there?" }).waitFor();
		problems.push(...(await audit(page)));

		// Another browser: this one remembers its chat and opens it on /join.
		const elsewhere = await browser.newContext({ ...PHONE, colorScheme });
		const refused = await elsewhere.newPage();
		await refused.goto(`${server.url}/join`);
		await refused.getByLabel("Support key", { exact: true }).fill("000 000 001");
		await refused.getByRole("button", { name: "Join the chat" }).click();
		await refused.getByRole("heading", { name: "We couldn't find that chat" }).waitFor();
		problems.push(...(await audit(refused)));
		await Promise.all([context.close(), elsewhere.close()]);
		expect(problems).toEqual([]);
	});

	it("finds nothing wrong in the console: sign-in, queue and cases, a chat, a new case", async () => {
		const context = await browser.newContext({ ...DESKTOP, colorScheme });
		const page = await context.newPage();
		await page.goto(`${server.url}/`);
		await page.getByLabel("Agent token", { exact: true }).waitFor();
		const problems = await audit(page);

		const waiting = await session("Scanner jams");
		await apiCall(server.url, "/api/join", { body: { supportKey: waiting.supportKey } });
		await page.getByLabel("Agent token", { exact: true }).fill("dev-agent-token");
		await page.getByRole("button", { name: "Sign in" }).click();
		await page.getByRole("button", { name: /^Join the chat: Scanner jams/ }).waitFor();
		problems.push(...(await audit(page)));

		await page.getByRole("button", { name: "New case" }).click();
		await page.getByLabel("Subject", { exact: true }).waitFor();
		problems.push(...(await audit(page)));

		await page.getByRole("button", { name: /^Join the chat: Scanner jams/ }).click();
		await page.getByLabel("Message", { exact: true }).waitFor();
		problems.push(...(await audit(page)));
		await context.close();
		expect(problems).toEqual([]);
	});

	it("finds nothing wrong on the chat page and the console's offers: the pre-chat form, waiting, an offer, a left message", async () => {
		const customer = await browser.newContext({ ...PHONE, colorScheme });
		const page = await customer.newPage();
		await page.goto(`${server.url}/chat?team=support`);
		await page.getByLabel("Your name", { exact: true }).waitFor();
		const problems = await audit(page);

		const agentContext = await browser.newContext({ ...DESKTOP, colorScheme });
		const agent = await agentContext.newPage();
		await agent.goto(`${server.url}/`);
		await agent.getByLabel("Agent token", { exact: true }).fill("dev-agent-token");
		await agent.getByRole("button", { name: "Sign in" }).click();
		await agent.locator(".routing-status").getByText("Available").waitFor();

		// Not Walter, whose key chats from the tests above wait at the front desk and are offered too.
		await page.getByLabel("Your name", { exact: true }).fill("Wilma");
		await page.getByRole("button", { name: "Start the chat" }).click();
		await page.getByText("You are number 1 in the queue").waitFor();
		problems.push(...(await audit(page)));
		await agent.locator(".offer").getByText("Chat offered: Wilma").waitFor();
		problems.push(...(await audit(agent)));

		await page.getByRole("button", { name: "Leave a message instead" }).click();
		await page.getByRole("heading", { name: "Thank you, we have your message" }).waitFor();
		problems.push(...(await audit(page)));
		await Promise.all([customer.close(), agentContext.close()]);
		expect(problems).toEqual([]);
	});
});
