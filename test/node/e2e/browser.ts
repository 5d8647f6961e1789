/**
 * Debian's Chromium driven by Playwright, for the pages' end-to-end tests, with a watch on each
 * page for what must never happen: script errors, errors in the browser's console, alerts,
 * Content-Security-Policy violations and requests to any other origin.
 */
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, BrowserContextOptions, Page, WebSocketRoute } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { DevServer } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";

/** The README's screenshots are replaced only when asked (UPDATE_SCREENSHOTS=1); other runs keep theirs apart. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? "docs/screenshots" : "test-results/screenshots";

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
	});
}

/** `wrangler dev` and a Chromium for one test file: started before its tests, stopped after them. */
export function serverAndBrowser(): { readonly server: DevServer; readonly browser: Browser } {
	let server: DevServer | null = null;
	let browser: Browser | null = null;
	beforeAll(async () => {
		[server, browser] = await Promise.all([startDevServer(), launchBrowser()]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});
	return {
		get server() {
			if (!server) throw new Error("the dev server is not running");
			return server;
		},
		get browser() {
			if (!browser) throw new Error("the browser is not running");
			return browser;
		},
	};
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: "en-US", timezoneId: "UTC" };
/** An iPhone-sized screen, 390 CSS pixels wide. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-US" };

/** Where a 4xx is what the person is meant to see explained, not a fault: the browser logs it all the same. */
const ANSWERED_REFUSALS = ["/api/join", "/api/auth/login", "/api/chats", "/api/messages"];

/**
 * Whether an error in the browser's console is the pages' own: a script of theirs, or a request
 * that failed other than a refusal the page explains (a wrong key, a wrong token). Errors with no
 * address are from the test's own WebSocket routing (connectionSwitch), not from the pages.
 */
function isPagesError(url: string): boolean {
	return url !== "" && !ANSWERED_REFUSALS.includes(new URL(url).pathname);
}

export interface PageWatch {
	/** Everything that went wrong on the page, in words; a test expects it to stay empty. */
	problems: string[];
	/**
	 * The page's sign-in was ended elsewhere: from now on any request of its may be refused 401, which
	 * the page answers by showing its sign-in screen, so the browser's log of that 401 is no fault.
	 */
	signedOutElsewhere(): void;
}

/** `elsewhere`: other origins the test itself plays (routed, never reached), such as Turnstile's. */
export function watchPage(page: Page, origin: string, elsewhere: readonly string[] = []): PageWatch {
	const problems: string[] = [];
	let refusedOk = false;
	page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
	page.on("dialog", (dialog) => {
		problems.push(`dialog: ${dialog.message()}`);
		void dialog.dismiss();
	});
	page.on("console", (message) => {
		if (/content security policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
		else if (refusedOk && /status of 401\b/.test(message.text())) return;
		else if (message.type() === "error" && isPagesError(message.location().url)) problems.push(`console error: ${message.text()} (${message.location().url})`);
	});
	page.on("request", (request) => {
		const url = new URL(request.url());
		if (url.protocol !== "data:" && url.origin !== origin && url.origin !== origin.replace(/^http/, "ws") && !elsewhere.includes(url.origin)) problems.push(`request to another origin: ${request.url()}`);
	});
	// Participant tokens go in the subprotocol header: a URL would leave them in access logs.
	page.on("websocket", (socket) => {
		if (new URL(socket.url()).searchParams.has("token")) problems.push(`a token in a WebSocket URL: ${socket.url()}`);
	});
	return {
		problems,
		signedOutElsewhere() {
			refusedOk = true;
		},
	};
}

export async function screenshot(page: Page, name: string): Promise<void> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	// No hover effect left where the last click was.
	await page.mouse.move(0, 0);
	await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, animations: "disabled", caret: "hide" });
}

/** Lets a test cut the end-user's chat connection, keep it down, and let it back: the chat's socket, and the one an invite link joins on. */
export async function connectionSwitch(context: BrowserContext) {
	let down = false;
	const open = new Set<WebSocketRoute>();
	await context.routeWebSocket(/\/api\/(join|sessions\/[^/]+)\/ws/, (socket) => {
		if (down) return socket.close({ code: 4001, reason: "network down" });
		socket.connectToServer();
		open.add(socket);
	});
	return {
		cut() {
			down = true;
			for (const socket of open) void socket.close({ code: 4001, reason: "network down" });
			open.clear();
		},
		restore() {
			down = false;
		},
	};
}
