/**
 * How customers start a chat, as the people involved see it. An agent who sets Away in the
 * console's Availability panel is not offered a chat from the chat page until they are Available
 * again, and the "Chats at once" they set outlasts a reload. The website widget on a second
 * loopback origin, told German and its own colours, draws its launcher in those colours and opens
 * a full-screen German pre-chat form on a phone. A case link (#case=<token> signed with the
 * development key by the README's recipe) names the case on the page and brings the agent an offer with the case's
 * subject; a forged token says so instead of drawing a form.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { BrowserContextOptions, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import type { CaseRecord } from "../../../src/shared/api";
import { apiCall } from "../../support/http";
import { DESK_FIRST_ROUTING } from "../../support/routing";
import { audit } from "./axe";
import { PHONE, screenshot } from "./browser";
import type { Opened } from "./people";
import { browserSuite, field, onScreen, signedInConsole } from "./people";

/** The widget's settings the shop's script tag carries. */
const GREEN = "#0a7d32";
const CREAM = "#fffbe6";
const LABEL = "Fragen Sie uns";

/** A customer's website on its own loopback origin: a page with the one script tag, in German and the shop's colours. */
const site: Server = createServer((_request, response) => {
	response.setHeader("Content-Type", "text/html");
	response.end(`<!doctype html><html lang="de"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Laden</title><h1>Unser Laden</h1>
<script src="${suite.server.url}/build/widget.js" data-team="support" data-lang="de" data-color="${GREEN}" data-text-color="${CREAM}" data-label="${LABEL}" async></script>`);
});
await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
const address = site.address();
if (typeof address !== "object" || address === null) throw new Error("the shop is not served");
const shop = `http://127.0.0.1:${address.port}`;
afterAll(() => new Promise((resolve) => site.close(resolve)));

// Key chats go to team "desk"; the chat page, the widget and case links use team "support".
const suite = browserSuite({ server: () => ({ vars: { TURNSTILE_SITE_KEY: "", ROUTING: DESK_FIRST_ROUTING, WIDGET_ORIGINS: shop } }), elsewhere: [shop] });

/** The development key wrangler dev signs with (.dev.vars; src/config.ts's DEV_CASE_TOKEN_KEY, which cannot be imported into Node's typecheck). */
const DEV_CASE_TOKEN_KEY = /^CASE_TOKEN_KEYS="([^",]+)/m.exec(readFileSync(".dev.vars", "utf8"))?.[1] ?? "";

/** A case token as the business's backend signs one: the README's node:crypto recipe ("Chat for a case"). */
function caseToken(key: string, caseId: string): string {
	const payload = Buffer.from(JSON.stringify({ caseId, exp: Date.now() + 10 * 60_000 })).toString("base64url");
	return `${payload}.${createHmac("sha256", key).update(payload).digest("base64url")}`;
}

/** A browser of its own on `url` (this deployment's or the shop's), watched for script errors, CSP and other origins. */
async function open(options: BrowserContextOptions, url: string): Promise<Opened> {
	const opened = await suite.person(options, null);
	await opened.page.goto(url);
	return opened;
}

/** The console, signed in as the dev agent, once its Availability panel has heard from the routers. */
async function agentConsole(): Promise<Page> {
	const page = await signedInConsole(suite);
	await page.locator(".routing-status").getByText(/^Available · /).waitFor();
	return page;
}

const statusLine = (page: Page) => page.locator(".routing-status").textContent();

describe("the console's Availability panel", () => {
	it("offers nothing to an agent who is Away, offers the waiting chat once they are Available, and keeps Chats at once over a reload", async () => {
		const agent = await agentConsole();
		const panel = agent.locator("section.routing");
		await panel.getByRole("heading", { name: "Availability" }).waitFor();
		await field(agent, "Status").selectOption("away");
		await expect.poll(() => statusLine(agent)).toBe("Away · 0 of 2 chats");
		// Every offer the console draws (it redraws them on each update), with what the Status select said at that moment.
		await agent.evaluate(() => {
			const seen: string[] = [];
			Object.assign(window, { offersSeen: seen });
			const status = document.querySelector<HTMLSelectElement>("select[name=availability]");
			new MutationObserver((changes) => {
				for (const change of changes)
					for (const node of change.addedNodes) {
						const drawn = node instanceof HTMLElement && node.matches(".offer") ? `${status?.value}: ${node.querySelector(".offer-who")?.textContent}` : null;
						if (drawn !== null && !seen.includes(drawn)) seen.push(drawn);
					}
			}).observe(document.body, { childList: true, subtree: true });
		});

		const customer = await open(PHONE, `${suite.server.url}/chat?team=support`);
		await field(customer.page, "Your name").fill("Kim");
		await field(customer.page, "What is it about? (optional)").fill("My parcel went to the wrong door");
		await customer.page.getByRole("button", { name: "Start the chat" }).click();
		await customer.page.getByText("You are number 1 in the queue").waitFor();
		expect(await onScreen(customer.page, ".waiting-place")).toBe(true);
		// The console sees the chat waiting, and it is not offered to the agent who is away.
		const waiting = agent.locator(".queue-item", { hasText: "My parcel went to the wrong door" });
		await waiting.waitFor();
		expect(await agent.locator(".offer").count()).toBe(0);
		expect(await statusLine(agent)).toBe("Away · 0 of 2 chats");
		await screenshot(agent, "customer-start-console-away");
		await screenshot(customer.page, "customer-start-phone-waiting");

		await field(agent, "Status").selectOption("available");
		const offer = agent.locator(".offer");
		await offer.getByText("Chat offered: Kim").waitFor();
		await offer.getByText("My parcel went to the wrong door").waitFor();
		expect(await offer.count()).toBe(1);
		expect(await onScreen(agent, ".offer")).toBe(true);
		expect(await agent.evaluate(() => (window as unknown as { offersSeen: string[] }).offersSeen)).toEqual(["available: Chat offered: Kim"]);
		// The customer is still first in the queue while the agent makes up their mind.
		await customer.page.getByText("You are number 1 in the queue").waitFor();

		// One chat at once: saved, and still so after a reload. The offer does not count as a chat the agent is in.
		await field(agent, "Chats at once").fill("1");
		await field(agent, "Chats at once").press("Tab");
		await expect.poll(() => statusLine(agent)).toBe("Available · 0 of 1 chats");
		await agent.reload();
		await agent.locator(".routing-status").getByText(/^Available · /).waitFor();
		await expect.poll(() => field(agent, "Chats at once").inputValue()).toBe("1");
		await expect.poll(() => statusLine(agent)).toBe("Available · 0 of 1 chats");
		expect(await field(agent, "Status").inputValue()).toBe("available");
		await agent.locator(".offer").getByText("Chat offered: Kim").waitFor();
		await screenshot(agent, "customer-start-console-offer-capacity-1");

		// The customer would rather not wait: the offer goes away from the console (and no chat is left waiting for the next tests).
		await customer.page.getByRole("button", { name: "Leave a message instead" }).click();
		await customer.page.getByRole("heading", { name: "Thank you, we have your message" }).waitFor();
		await expect.poll(() => agent.locator(".offer").count()).toBe(0);
		await expect.poll(() => waiting.count()).toBe(0);
	});
});

describe("the website widget in another language and colours", () => {
	it("draws the launcher in the shop's colours and opens a German pre-chat form full screen on a phone", async () => {
		const customer = await open(PHONE, shop);
		const launcher = customer.page.getByRole("button", { name: LABEL });
		await launcher.waitFor();
		expect(await launcher.textContent()).toBe(LABEL);
		const colours = await launcher.evaluate((node) => {
			const style = getComputedStyle(node);
			return { background: style.backgroundColor, text: style.color };
		});
		expect(colours).toEqual({ background: "rgb(10, 125, 50)", text: "rgb(255, 251, 230)" });
		const box = await launcher.boundingBox();
		// In the bottom right corner, inside the phone's screen.
		expect(box && box.x > 390 / 2 && box.x + box.width <= 390 && box.y > 844 / 2 && box.y + box.height <= 844).toBe(true);
		await screenshot(customer.page, "customer-start-widget-de-launcher");
		await launcher.click();

		const frame = customer.page.frameLocator("iframe");
		await frame.getByRole("heading", { name: "Chat mit Support" }).waitFor();
		expect(await customer.page.locator("iframe").boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
		expect(await customer.page.locator("iframe").getAttribute("title")).toBe(LABEL);
		expect(await frame.locator("html").getAttribute("lang")).toBe("de");
		await frame.getByText("Sagen Sie uns, wer Sie sind und worum es geht: Ein Mitarbeiter kommt dazu, sobald einer frei ist.").waitFor();
		const labels = await frame.locator(".prechat-form label").allTextContents();
		expect(labels.map((text) => text.trim())).toEqual(["Ihr Name", "E-Mail (optional)", "Worum geht es? (optional)"]);
		const start = frame.getByRole("button", { name: "Chat starten" });
		expect(await start.isVisible()).toBe(true);
		await frame.getByRole("button", { name: "Chat schließen" }).waitFor();
		// The launcher is folded away behind the full-screen chat.
		expect(await launcher.isVisible()).toBe(false);

		// Asked in German what is missing.
		await start.click();
		await frame.getByText("Bitte nennen Sie uns Ihren Namen.").waitFor();
		await screenshot(customer.page, "customer-start-widget-de-form");
		await frame.getByLabel("Ihr Name", { exact: true }).fill("Jonas");
		await start.click();
		await frame.getByText("Sie sind Nummer 1 in der Warteschlange").waitFor();
		await screenshot(customer.page, "customer-start-widget-de-waiting");
		const [banner, leave] = await Promise.all([frame.locator(".waiting-banner").boundingBox(), frame.getByRole("button", { name: "Stattdessen eine Nachricht hinterlassen" }).boundingBox()]);
		// The longer German button still fits inside the banner on a 390-pixel screen.
		expect(banner && leave && leave.x >= banner.x && leave.x + leave.width <= banner.x + banner.width).toBe(true);
		// Nobody is signed in: the customer leaves a message, told so in German.
		await frame.getByRole("button", { name: "Stattdessen eine Nachricht hinterlassen" }).click();
		await frame.getByRole("heading", { name: "Danke, wir haben Ihre Nachricht" }).waitFor();
		await frame.getByText(/^Ihre Nachricht ist Fall case-[0-9a-z]+\. Wir antworten Ihnen dort\.$/).waitFor();
	});
});

describe("the chat page for a case", () => {
	it("names the case on a phone, and the agent is offered its chat with the case's subject", async () => {
		const created = await apiCall<CaseRecord>(suite.server.url, "/api/cases", { agent: true, body: { subject: "Refund for order 7781", customer: { name: "Noor" } } });
		const token = caseToken(DEV_CASE_TOKEN_KEY, created.caseId);
		const agent = await agentConsole();

		const customer = await open(PHONE, `${suite.server.url}/chat?team=support#case=${token}`);
		await customer.page.getByText(`About your case ${created.caseId}: Refund for order 7781`).waitFor();
		expect(await onScreen(customer.page, ".prechat-case")).toBe(true);
		// The token has left the address bar, and the case needs no topic.
		expect(new URL(customer.page.url()).hash).toBe("");
		expect(await field(customer.page, "What is it about? (optional)").count()).toBe(0);
		expect(await audit(customer.page)).toEqual([]);
		await screenshot(customer.page, "customer-start-case-form");
		await field(customer.page, "Your name").fill("Noor");
		await customer.page.getByRole("button", { name: "Start the chat" }).click();
		await customer.page.getByText("You are number 1 in the queue").waitFor();

		const offer = agent.locator(".offer");
		await offer.getByText("Chat offered: Noor").waitFor();
		expect(await offer.locator(".offer-subject").textContent()).toBe("Refund for order 7781");
		await screenshot(agent, "customer-start-case-offer");
		await offer.getByRole("button", { name: "Accept" }).click();
		await agent.locator(".workspace").getByText("Refund for order 7781").first().waitFor();
		await field(agent, "Message").fill("Hello Noor, I have your refund case open.");
		await field(agent, "Message").press("Enter");
		await customer.page.getByText("Hello Noor, I have your refund case open.").waitFor();
		await screenshot(customer.page, "customer-start-case-chat");
	});

	it("says a forged case link is no good, instead of drawing a form that would fail", async () => {
		const created = await apiCall<CaseRecord>(suite.server.url, "/api/cases", { agent: true, body: { subject: "Forged link case", customer: { name: "Mallory" } } });
		const forged = caseToken("a-key-that-is-not-this-deployments-key", created.caseId);
		const customer = await open(PHONE, `${suite.server.url}/chat?team=support#case=${forged}`);
		await customer.page.getByRole("heading", { name: "This case link no longer works" }).waitFor();
		await customer.page.getByText("It has expired or is not valid. Ask for a new link, or start a new chat.").waitFor();
		expect(await onScreen(customer.page, ".join-body")).toBe(true);
		// Trying the same link again cannot help; a chat without it can.
		expect(await customer.page.getByRole("button", { name: "Try again" }).count()).toBe(0);
		expect(await customer.page.locator("form").count()).toBe(0);
		expect(await field(customer.page, "Your name").count()).toBe(0);
		expect(await customer.page.getByText("Forged link case").count()).toBe(0);
		expect(await audit(customer.page)).toEqual([]);
		await screenshot(customer.page, "customer-start-case-forged");
		// The browser logs the 401 the page explains; anything else is still a problem.
		const logged401 = (problem: string) => /^console error: .*401.*\/api\/teams\/support\?caseToken=/.test(problem);
		expect(customer.watch.problems.filter(logged401).length).toBeGreaterThan(0);
		customer.watch.problems.splice(0, customer.watch.problems.length, ...customer.watch.problems.filter((problem) => !logged401(problem)));
		await customer.page.getByRole("button", { name: "Start a new chat" }).click();
		await field(customer.page, "Your name").waitFor();
		expect(customer.page.url()).toBe(`${suite.server.url}/chat?team=support`);
	});
});
