/**
 * The end-user page when things are not as they should be (a wrong key, a broken link, an
 * expired key) and in other languages. The expired key needs a server whose keys last 2 seconds.
 */
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionClient } from "../../../src/client/session-client";
import type { CaseRecord, Joined, StartedSession } from "../../../src/shared/api";
import type { DevServer } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";
import { apiCall } from "../../support/http";
import { PHONE, launchBrowser, screenshot, watchPage } from "./browser";

let server: DevServer;
let shortKeys: DevServer;
let browser: Browser;

beforeAll(async () => {
	[server, shortKeys, browser] = await Promise.all([startDevServer(), startDevServer({ vars: { KEY_TTL_SECONDS: "2" } }), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await Promise.all([server?.stop(), shortKeys?.stop()]);
});

async function joinPage(base: string, options: BrowserContextOptions = PHONE, path = "/join") {
	const context = await browser.newContext(options);
	const page = await context.newPage();
	const watch = watchPage(page, base);
	await page.goto(`${base}${path}`);
	return { page, watch, done: () => context.close() };
}

async function enterKey(page: Page, label: string, key: string, button: string): Promise<void> {
	await page.getByLabel(label, { exact: true }).fill(key);
	await page.getByRole("button", { name: button }).click();
}

async function newSession(base: string): Promise<StartedSession> {
	const created = await apiCall<CaseRecord>(base, "/api/cases", { agent: true, body: { subject: "Key test" } });
	return apiCall<StartedSession>(base, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
}

/**
 * A chat the agent is in (over Node, with the messages it has heard) and a phone to open its link
 * in, whose POST /api/join requests and sockets' paths are listed as they are made.
 */
async function chatWithAgent() {
	const started = await newSession(server.url);
	const agent = new SessionClient({ baseUrl: server.url, joined: await apiCall<Joined>(server.url, `/api/sessions/${started.sessionId}/agent`, { agent: true, body: {} }) });
	const heard: string[] = [];
	agent.subscribe((update) => {
		if (update.type === "event" && update.event.type === "message") heard.push(update.event.text);
	});
	agent.connect();
	const context = await browser.newContext(PHONE);
	const page = await context.newPage();
	const watch = watchPage(page, server.url);
	const joins: string[] = [];
	const sockets: string[] = [];
	page.on("request", (request) => {
		if (new URL(request.url()).pathname === "/api/join") joins.push(request.method());
	});
	page.on("websocket", (socket) => sockets.push(new URL(socket.url()).pathname));
	return { started, agent, heard, context, page, watch, joins, sockets };
}

/** What the customer writes reaches the agent, and the agent's answer is on the phone's screen. */
async function chatsBothWays(page: Page, agent: SessionClient, heard: string[]): Promise<void> {
	const box = page.getByLabel("Message", { exact: true });
	await box.fill("Hello from the phone");
	await box.press("Enter");
	await expect.poll(() => heard).toContain("Hello from the phone");
	agent.send("Hello from the desk");
	const reply = page.locator(".msg").filter({ hasText: "Hello from the desk" });
	await reply.waitFor();
	const where = await reply.boundingBox();
	expect(where && where.y >= 0 && where.y + where.height <= (page.viewportSize()?.height ?? 0)).toBe(true);
}

describe("the join page", () => {
	it("joins on the chat's socket as soon as an invite link's page arrives, before the page's script, once, and chats on that socket", async () => {
		const { started, agent, heard, context, page, watch, joins, sockets } = await chatWithAgent();
		let joinAnswered = () => {};
		const answered = new Promise<void>((resolve) => (joinAnswered = resolve));
		page.on("websocket", (socket) => {
			socket.on("framereceived", (frame) => {
				if (typeof frame.payload === "string" && frame.payload.startsWith('{"type":"join"')) joinAnswered();
			});
		});
		// The page's texts, which its script waits for before it does anything, are held back until the
		// join is answered on the socket: only the page's inline start can have asked for it.
		let held = 0;
		await page.route(/\/build\/chunks\/en-[A-Z0-9]+\.js$/, async (route) => {
			held += 1;
			await answered;
			await route.continue();
		});
		await page.goto(started.inviteUrl);
		await chatsBothWays(page, agent, heard);
		expect(held).toBe(1);
		// One round trip for the join and the chat: no POST /api/join, no second socket.
		expect(joins).toEqual([]);
		expect(sockets).toEqual(["/api/join/ws"]);
		// The token leaves the address bar once the page has taken the answer.
		expect(new URL(page.url()).hash).toBe("");
		expect(watch.problems).toEqual([]);
		agent.close();
		await context.close();
	});

	it("joins over HTTP when the join socket closes unanswered, and then chats on the chat's socket", async () => {
		const { started, agent, heard, context, page, watch, joins, sockets } = await chatWithAgent();
		// A network that lets no socket through to the join: it closes before any answer.
		let dropped = 0;
		await page.routeWebSocket("**/api/join/ws", (socket) => {
			dropped += 1;
			socket.close({ code: 1011, reason: "dropped" });
		});
		await page.goto(started.inviteUrl);
		await chatsBothWays(page, agent, heard);
		expect(joins).toEqual(["POST"]);
		// Playwright's routing keeps the dropped socket off the page's list of sockets.
		expect(dropped).toBe(1);
		expect(sockets).toEqual([`/api/sessions/${started.sessionId}/ws`]);
		expect(watch.problems).toEqual([]);
		agent.close();
		await context.close();
	});

	it("joins over HTTP when the join socket opens and then says nothing, once the wait is over", async () => {
		const { started, agent, heard, context, page, watch, joins } = await chatWithAgent();
		// A proxy that takes the upgrade and holds every frame back: the socket opens, nothing comes.
		let held = 0;
		await page.routeWebSocket("**/api/join/ws", () => {
			held += 1;
		});
		const begun = Date.now();
		await page.goto(started.inviteUrl);
		// An answer that is late: the page says it is joining meanwhile.
		const joining = page.getByRole("heading", { name: "Joining the chat…" });
		await joining.waitFor();
		const where = await joining.boundingBox();
		expect(where && where.y >= 0 && where.y + where.height <= (page.viewportSize()?.height ?? 0)).toBe(true);
		await page.getByLabel("Message", { exact: true }).waitFor({ timeout: 20_000 });
		// The page waits 10 s for the answer before it asks over HTTP.
		expect(Date.now() - begun).toBeGreaterThanOrEqual(10_000);
		await chatsBothWays(page, agent, heard);
		expect(held).toBe(1);
		expect(joins).toEqual(["POST"]);
		expect(watch.problems).toEqual([]);
		agent.close();
		await context.close();
	});

	it("says a damaged link is no good, from a fresh page, with nothing in the browser's console", async () => {
		for (const token of ["not a token)", "A".repeat(66)]) {
			const { page, watch, done } = await joinPage(server.url, PHONE, `/join#invite=${encodeURIComponent(token)}`);
			await page.getByRole("heading", { name: "We couldn't find that chat" }).waitFor();
			expect(watch.problems).toEqual([]);
			await done();
		}
	});

	it("answers a wrong key, a malformed key and a broken link with a friendly page", async () => {
		const { page, watch, done } = await joinPage(server.url);
		await page.getByRole("heading", { name: "Join your support chat" }).waitFor();

		// Keyboard only: the field has the focus, Enter submits.
		await page.keyboard.type("12345");
		await page.keyboard.press("Enter");
		await page.getByText("A support key has 9 digits, like 123 456 789.").waitFor();
		expect(await page.getByLabel("Support key", { exact: true }).getAttribute("aria-invalid")).toBe("true");

		await enterKey(page, "Support key", "000 000 001", "Join the chat");
		await page.getByRole("heading", { name: "We couldn't find that chat" }).waitFor();
		await page.getByText("Check the digits of your support key, or ask your support agent for a new link.").waitFor();
		expect(await page.locator("body").textContent()).not.toMatch(/error|exception|stack|undefined|404/i);

		await page.getByRole("button", { name: "Enter a support key" }).click();
		await page.getByLabel("Support key", { exact: true }).waitFor();

		await page.goto(`${server.url}/join#invite=${"A".repeat(66)}`);
		await page.getByRole("heading", { name: "We couldn't find that chat" }).waitFor();
		expect(watch.problems).toEqual([]);
		await done();
	});

	it("answers an expired key and an expired link, each with its own friendly page", async () => {
		const started = await newSession(shortKeys.url);
		// The session applies its deadline whenever it is asked, so this sees the key expire.
		await expect
			.poll(async () => (await apiCall<{ status: string }>(shortKeys.url, `/api/sessions/${started.sessionId}`, { agent: true })).status, { timeout: 15_000, interval: 250 })
			.toBe("expired");

		const typed = await joinPage(shortKeys.url);
		await enterKey(typed.page, "Support key", started.supportKey, "Join the chat");
		await typed.page.getByRole("heading", { name: "This support key has expired" }).waitFor();
		await typed.page.getByText("A support key only works for a short time. Ask your support agent for a new one.").waitFor();
		await screenshot(typed.page, "join-expired-phone");
		expect(typed.watch.problems).toEqual([]);
		await typed.done();

		const linked = await joinPage(shortKeys.url, PHONE, `/join#invite=${new URL(started.inviteUrl).hash.slice("#invite=".length)}`);
		// A link is named a link: the customer who got one never saw a key.
		await linked.page.getByRole("heading", { name: "This link has expired" }).waitFor();
		await linked.page.getByText("Nobody opened it in time. Ask your support agent for a new link.").waitFor();
		expect(linked.watch.problems).toEqual([]);
		await linked.done();
	});

	it("speaks the browser's language", async () => {
		const languages = [
			{ locale: "de-DE", heading: "Ihrem Support-Chat beitreten", label: "Support-Schlüssel", button: "Chat beitreten", unknown: "Diesen Chat haben wir nicht gefunden" },
			{ locale: "es-ES", heading: "Únase a su chat de soporte", label: "Clave de soporte", button: "Entrar al chat", unknown: "No encontramos ese chat" },
			{ locale: "fr-FR", heading: "Rejoindre votre chat d'assistance", label: "Clé d'assistance", button: "Rejoindre le chat", unknown: "Nous n'avons pas trouvé ce chat" },
			{ locale: "ja-JP", heading: "サポートチャットに参加", label: "サポートキー", button: "チャットに参加", unknown: "チャットが見つかりません" },
			// No Portuguese texts: English, and the page says so.
			{ locale: "pt-BR", lang: "en", heading: "Join your support chat", label: "Support key", button: "Join the chat", unknown: "We couldn't find that chat" },
		];
		for (const language of languages) {
			const { page, watch, done } = await joinPage(server.url, { ...PHONE, locale: language.locale });
			await page.getByRole("heading", { name: language.heading }).waitFor();
			expect(await page.locator("html").getAttribute("lang")).toBe(language.lang ?? language.locale);
			await enterKey(page, language.label, "000000002", language.button);
			await page.getByRole("heading", { name: language.unknown }).waitFor();
			expect(watch.problems, language.locale).toEqual([]);
			await done();
		}
	});
});
