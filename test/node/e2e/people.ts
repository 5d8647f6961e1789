/**
 * The people in a browser test, set up as they would be: a case and its session through the API,
 * an agent who chats from Node through the typed client, and each browser with its own storage.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { SessionClient } from "../../../src/client/session-client";
import type { CaseRecord, Joined, StartedSession } from "../../../src/shared/api";
import type { DevServer, DevServerOptions } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";
import { apiCall } from "../../support/http";
import type { PageWatch } from "./browser";
import { DESKTOP, launchBrowser, watchPage } from "./browser";

export interface Opened {
	page: Page;
	watch: PageWatch;
	context: BrowserContext;
}

/** A browser of its own (cookies, storage), on `path` if given. */
export async function openBrowser(browser: Browser, server: DevServer, options: BrowserContextOptions, path: string | null, elsewhere: readonly string[] = []): Promise<Opened> {
	const context = await browser.newContext(options);
	const page = await context.newPage();
	const watch = watchPage(page, server.url, elsewhere);
	if (path !== null) await page.goto(`${server.url}${path}`);
	return { page, watch, context };
}

export interface Suite {
	readonly server: DevServer;
	/** A person's browser, closed after the test, which fails if anything went wrong on its pages; on another server if given. */
	person(options: BrowserContextOptions, path: string | null, on?: DevServer): Promise<Opened>;
	/** The browsers opened so far in this test. */
	contexts(): BrowserContext[];
}

export interface SuiteOptions {
	/** The server's options, asked for once the file's earlier beforeAll hooks have run (e.g. a fake siteverify's address). */
	server?: () => DevServerOptions;
	/** Other origins the test plays with page.route, which the pages may then ask. */
	elsewhere?: readonly string[];
}

/** One server and one Chromium for a test file; each test's browsers are checked and closed after it. */
export function browserSuite(options: SuiteOptions = {}): Suite {
	let server: DevServer | undefined;
	let browser: Browser | undefined;
	const opened: Opened[] = [];
	beforeAll(async () => {
		[server, browser] = await Promise.all([startDevServer(options.server?.()), launchBrowser()]);
	});
	afterEach(async () => {
		for (const { watch } of opened) expect(watch.problems).toEqual([]);
		await Promise.all(opened.splice(0).map(({ context }) => context.close()));
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});
	const started = () => {
		if (!server || !browser) throw new Error("the suite has not started");
		return { server, browser };
	};
	return {
		get server() {
			return started().server;
		},
		contexts: () => opened.map(({ context }) => context),
		async person(context, path, on) {
			const { server: running, browser: chromium } = started();
			const o = await openBrowser(chromium, on ?? running, context, path, options.elsewhere);
			opened.push(o);
			return o;
		},
	};
}

export async function startSession(server: DevServer, subject: string, customer: CaseRecord["customer"] = { name: "Dana" }): Promise<StartedSession> {
	const created = await apiCall<CaseRecord>(server.url, "/api/cases", { agent: true, body: { subject, customer } });
	return apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
}

/** The dev agent in the chat from Node, as another console would be; resolves once connected. */
export async function agentInChat(server: DevServer, sessionId: string): Promise<SessionClient> {
	const joined = await apiCall<Joined>(server.url, `/api/sessions/${sessionId}/agent`, { agent: true, body: {} });
	const client = new SessionClient({ baseUrl: server.url, joined });
	await new Promise<void>((resolve) => {
		const stop = client.subscribe((update) => {
			if (update.type === "state") {
				stop();
				resolve();
			}
		});
		client.connect();
	});
	return client;
}

/** A new session with the dev agent in it and its customer in a browser on the invite link, greeted. */
export async function customerInChat(suite: Suite, subject: string, options: BrowserContextOptions = DESKTOP): Promise<{ started: StartedSession; agent: SessionClient; customer: Opened }> {
	const started = await startSession(suite.server, subject);
	const agent = await agentInChat(suite.server, started.sessionId);
	const customer = await suite.person(options, null);
	await customer.page.goto(started.inviteUrl);
	await customer.page.getByText("You're chatting with dev-agent").waitFor();
	return { started, agent, customer };
}

/** Sends and resolves once the session has taken every message. */
export async function say(client: SessionClient, ...texts: string[]): Promise<void> {
	const waiting = new Set(texts.map((text) => client.send(text)));
	await new Promise<void>((resolve) => {
		const stop = client.subscribe((update) => {
			if (update.type === "ack") waiting.delete(update.clientId);
			if (waiting.size === 0) {
				stop();
				resolve();
			}
		});
	});
}

export const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** The console as agents use it, 1366 pixels wide. */
export const CONSOLE: BrowserContextOptions = { ...DESKTOP, viewport: { width: 1366, height: 850 } };

/** A console signed in with `token`, opened at `path` (a chat's `/#chat/…` address stays through the sign-in). */
export async function signedInConsole(suite: Suite, token = "dev-agent-token", path = "/"): Promise<Page> {
	const { page } = await suite.person(CONSOLE, path);
	await field(page, "Agent token").fill(token);
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByText("Signed in as").waitFor();
	return page;
}

export async function send(page: Page, text: string): Promise<void> {
	await field(page, "Message").fill(text);
	await field(page, "Message").press("Enter");
}

/** Whether the element is wholly inside the page's viewport, as a person would see it. */
export async function onScreen(page: Page, selector: string): Promise<boolean> {
	return page.locator(selector).last().evaluate((node) => {
		const box = node.getBoundingClientRect();
		return box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
	});
}
