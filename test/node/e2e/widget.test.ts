/**
 * The website widget on a customer's site: a page from a second loopback origin loads the widget
 * script, a customer on a phone opens it and starts a chat, the available agent is offered the
 * chat in the console, accepts it, and they chat. A site not on WIDGET_ORIGINS cannot frame it.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DevServer } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";
import { DESKTOP, PHONE, launchBrowser, screenshot, watchPage } from "./browser";
import { field, onScreen } from "./people";

let server: DevServer;
let browser: Browser;
const sites: Server[] = [];
const contexts: BrowserContext[] = [];

/** A customer's website: any page with the one script tag, served from its own loopback origin. */
async function site(): Promise<string> {
	const host = createServer((_request, response) => {
		response.setHeader("Content-Type", "text/html");
		response.end(`<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title><h1>Our shop</h1>
<script src="${server.url}/build/widget.js" data-team="support" data-label="Chat with us" async></script>`);
	});
	await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
	sites.push(host);
	const address = host.address();
	if (typeof address !== "object" || address === null) throw new Error("the site is not served");
	return `http://127.0.0.1:${address.port}`;
}

let shop: string;
let stranger: string;

beforeAll(async () => {
	[shop, stranger] = await Promise.all([site(), site()]);
	// The shop may embed the chat; the stranger's site is another origin that is not on the list.
	[server, browser] = await Promise.all([startDevServer({ vars: { WIDGET_ORIGINS: shop, TURNSTILE_SITE_KEY: "", PRE_JOIN_MESSAGES: "strict" } }), launchBrowser()]);
});

afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await Promise.all(sites.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function open(options: typeof DESKTOP, url: string): Promise<{ page: Page; problems: string[] }> {
	const context = await browser.newContext(options);
	contexts.push(context);
	const page = await context.newPage();
	const origin = new URL(url).origin;
	const watch = watchPage(page, origin, origin === server.url ? [] : [server.url, server.url.replace(/^http/, "ws")]);
	await page.goto(url);
	return { page, problems: watch.problems };
}

describe("the website widget", () => {
	it("starts a chat from a phone on a customer's site, which the available agent is offered, accepts and answers", async () => {
		const agent = await open(DESKTOP, `${server.url}/`);
		await field(agent.page, "Agent token").fill("dev-agent-token");
		await agent.page.getByRole("button", { name: "Sign in" }).click();
		await agent.page.locator(".routing-status").getByText("Available").waitFor();

		const customer = await open(PHONE, shop);
		const launcher = customer.page.getByRole("button", { name: "Chat with us" });
		await launcher.waitFor();
		expect(await onScreen(customer.page, "[data-support-chat]")).toBe(false);
		const launcherBox = await launcher.boundingBox();
		expect(launcherBox && launcherBox.x + launcherBox.width <= 390 && launcherBox.y + launcherBox.height <= 844).toBe(true);
		// Nothing of the chat is loaded before the person asks for it.
		expect(await customer.page.locator("iframe").count()).toBe(0);
		await launcher.click();

		const frame = customer.page.frameLocator("iframe");
		await frame.getByLabel("Your name", { exact: true }).fill("Robin");
		// Full screen on a phone.
		const frameBox = await customer.page.locator("iframe").boundingBox();
		expect(frameBox).toEqual({ x: 0, y: 0, width: 390, height: 844 });
		await frame.getByLabel("What is it about? (optional)").fill("Order 42 never arrived");
		await frame.getByRole("button", { name: "Start the chat" }).click();
		await frame.getByText("You are number 1 in the queue").waitFor();
		await frame.getByText(/Estimated wait: about/).waitFor();
		// This deployment keeps what is written before an agent joins out of the record, and a chat the customer started says so too.
		await frame.getByText("Until an agent joins, nothing written here is recorded, and the agent will not see it.").waitFor();
		await screenshot(customer.page, "widget-phone-waiting");

		// The console rings with the offer; accepting opens the chat.
		const offer = agent.page.locator(".offer");
		await offer.getByText("Chat offered: Robin").waitFor();
		await offer.getByText("Order 42 never arrived").waitFor();
		await screenshot(agent.page, "console-offer");
		await offer.getByRole("button", { name: "Accept" }).click();
		await agent.page.locator(".workspace").getByText("Order 42 never arrived").first().waitFor();
		await field(agent.page, "Message").fill("Hello Robin, let me look into order 42.");
		await field(agent.page, "Message").press("Enter");

		await frame.getByText("Hello Robin, let me look into order 42.").waitFor();
		await expect.poll(() => frame.locator(".waiting-banner").isHidden()).toBe(true);
		await frame.getByLabel("Message", { exact: true }).fill("Thanks, it was due Monday.");
		await frame.getByLabel("Message", { exact: true }).press("Enter");
		await agent.page.locator(".workspace").getByText("Thanks, it was due Monday.", { exact: true }).waitFor();

		// Closing folds the chat away on the customer's site, and the launcher is back.
		await frame.getByRole("button", { name: "Close the chat" }).click();
		await expect.poll(() => customer.page.locator("iframe").isHidden()).toBe(true);
		await launcher.waitFor();
		expect(agent.problems).toEqual([]);
		expect(customer.problems).toEqual([]);
	});

	it("cannot be framed by a site that is not on the list", async () => {
		const context = await browser.newContext(DESKTOP);
		contexts.push(context);
		const page = await context.newPage();
		const refused = new Promise<string>((resolve) => page.on("console", (message) => /frame-ancestors/.test(message.text()) && resolve(message.text())));
		await page.goto(stranger);
		await page.getByRole("button", { name: "Chat with us" }).click();
		// The chat page's policy names the shop alone.
		expect(await refused).toContain(`"frame-ancestors 'self' ${shop}"`);
		expect(await page.frameLocator("iframe").getByLabel("Your name").count()).toBe(0);
	});

	it("keeps its script within 15 KB, as the site downloads it", async () => {
		const response = await fetch(`${server.url}/build/widget.js`);
		expect(response.status).toBe(200);
		expect((await response.arrayBuffer()).byteLength).toBeLessThanOrEqual(15 * 1024);
	});
});
