/**
 * The agent console as an agent works in it at 1366×850: no customer's message goes unnoticed in
 * a chat the agent is in but not looking at, several chats stay open with their drafts, Leave
 * says what happens next, and the layout holds from 1280 to 1920 pixels.
 */
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SessionClient } from "../../../src/client/session-client";
import type { Joined } from "../../../src/shared/api";
import type { DevServer } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";
import { apiCall } from "../../support/http";
import { DESKTOP, PHONE, screenshot } from "./browser";
import type { Opened } from "./people";
import { browserSuite, field, onScreen, say, send, startSession } from "./people";

const suite = browserSuite();

const CONSOLE: BrowserContextOptions = { ...DESKTOP, viewport: { width: 1366, height: 850 } };

/** The console, signed in; by default with desktop notifications allowed and each one shown recorded. */
async function agentConsole(options: BrowserContextOptions = CONSOLE, on: DevServer = suite.server, desktop = true): Promise<Page> {
	return (await signedInBrowser(options, on, desktop)).page;
}

async function signedInBrowser(options: BrowserContextOptions, on: DevServer, desktop: boolean): Promise<Opened> {
	const opened = await suite.person(options, null, on);
	const { page, context } = opened;
	// What the agent's desktop shows; the browser's own notifications cannot be seen from a test.
	if (desktop) await context.addInitScript(() => {
		const shown: { title: string; body: string }[] = [];
		Object.assign(window, { shownNotifications: shown });
		class DesktopNotification extends EventTarget {
			static permission = "granted";
			static requestPermission = () => Promise.resolve("granted");
			constructor(title: string, options?: { body?: string }) {
				super();
				shown.push({ title, body: options?.body ?? "" });
			}
			close(): void {}
		}
		Object.assign(window, { Notification: DesktopNotification });
	});
	await page.goto(`${on.url}/`);
	await field(page, "Agent token").fill("dev-agent-token");
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByText("Signed in as").waitFor();
	return opened;
}

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications);

describe("the agent console", () => {
	it("raises the alarm for a customer message in a chat the agent is in but not looking at", async () => {
		const started = await startSession(suite.server, "Router keeps rebooting", { name: "Dana" });
		const other = await startSession(suite.server, "Cannot log in", { name: "Lee" });
		const page = await agentConsole();
		await page.locator(".case-item", { hasText: "Router keeps rebooting" }).waitFor();

		// The agent starts the chat, then goes on to another case: being in a chat is not watching it.
		await page.goto(`${suite.server.url}/#chat/${started.sessionId}`);
		await page.getByText("Waiting for the customer to join").waitFor();
		await page.goto(`${suite.server.url}/#chat/${other.sessionId}`);
		await page.locator(".case-card", { hasText: "Cannot log in" }).waitFor();
		// Lee has written a lot; the agent scrolls back to the start and begins a reply.
		const lee = new SessionClient({ baseUrl: suite.server.url, joined: await apiCall<Joined>(suite.server.url, "/api/join", { body: { supportKey: other.supportKey } }) });
		lee.connect();
		await say(lee, ...Array.from({ length: 20 }, (_, i) => `Line ${i + 1} of what I tried so far`));
		await page.locator(".msg.theirs", { hasText: "Line 20 of what I tried so far" }).waitFor();
		await page.locator(".log").evaluate((log) => log.scrollTo({ top: 0 }));
		await field(page, "Message").fill("A draft for Lee");

		const customer = await suite.person(PHONE, null);
		await customer.page.goto(started.inviteUrl);
		await customer.page.getByText("You're chatting with dev-agent").waitFor();
		await send(customer.page, "Hello? Is anyone there?");

		const mine = page.locator(".my-chat", { hasText: "Router keeps rebooting" });
		await mine.getByLabel("1 new message").waitFor();
		await mine.getByText("Dana: Hello? Is anyone there?").waitFor();
		await page.locator(".case-item", { hasText: "Router keeps rebooting" }).getByLabel("1 new message").waitFor();
		await expect.poll(() => page.title()).toBe("(1) Support console");
		await expect.poll(() => notifications(page)).toEqual([{ title: "New message from Dana", body: "Router keeps rebooting: Hello? Is anyone there?" }]);
		await screenshot(page, "console-unread");

		// Opening it clears the count; switching back keeps the draft.
		await mine.getByRole("link").click();
		await page.locator(".msg.theirs", { hasText: "Hello? Is anyone there?" }).waitFor();
		await expect.poll(() => page.title()).toBe("Support console");
		expect(await mine.getByLabel(/new message/).count()).toBe(0);
		await page.locator(".my-chat", { hasText: "Cannot log in" }).getByRole("link").click();
		await page.locator(".case-card", { hasText: "Cannot log in" }).waitFor();
		expect(await field(page, "Message").inputValue()).toBe("A draft for Lee");
		expect(await onScreen(page, ".log-list > :first-child")).toBe(true);
		lee.close();

		// A message in the chat on screen is read, not an alarm.
		await page.locator(".my-chat", { hasText: "Router keeps rebooting" }).getByRole("link").click();
		await send(customer.page, "It reboots every ten minutes");
		await page.locator(".msg.theirs", { hasText: "It reboots every ten minutes" }).waitFor();
		expect(await page.title()).toBe("Support console");
		expect(await notifications(page)).toHaveLength(1);

		// After a reload the console is still in both chats and still counting.
		await page.reload();
		await page.locator(".my-chat", { hasText: "Cannot log in" }).waitFor();
		await page.locator(".my-chat", { hasText: "Router keeps rebooting" }).getByRole("link").click();
		await page.locator(".my-chat", { hasText: "Cannot log in" }).getByRole("link").click();
		await send(customer.page, "Still there?");
		await page.locator(".my-chat", { hasText: "Router keeps rebooting" }).getByLabel("1 new message").waitFor();
		await expect.poll(() => page.title()).toBe("(1) Support console");
	});

	it("shows the alarm in the page when the browser has not allowed desktop notifications", async () => {
		const page = await agentConsole(CONSOLE, suite.server, false);
		const started = await startSession(suite.server, "No notifications here", { name: "Sam" });
		await page.goto(`${suite.server.url}/#chat/${started.sessionId}`);
		await page.getByText("Waiting for the customer to join").waitFor();
		await page.goto(`${suite.server.url}/#`);
		await page.getByRole("button", { name: "Turn on desktop notifications" }).waitFor();

		const customer = await suite.person(PHONE, null);
		await customer.page.goto(started.inviteUrl);
		await send(customer.page, "Hello? Is anyone there?");
		const notice = page.locator(".alarm-notice", { hasText: "New message from Sam" });
		await notice.getByText("No notifications here: Hello? Is anyone there?").waitFor();
		expect(await onScreen(page, ".alarm-notice")).toBe(true);
		await expect.poll(() => page.title()).toBe("(1) Support console");
		await notice.getByRole("button", { name: "Open" }).click();
		await page.locator(".msg.theirs", { hasText: "Hello? Is anyone there?" }).waitFor();
		await expect.poll(() => page.title()).toBe("Support console");
		expect(await page.locator(".alarm-notice").count()).toBe(0);
	});

	it("says after Leave what happens next", async () => {
		const page = await agentConsole();
		const started = await startSession(suite.server, "Printer offline", { name: "Noor" });
		await page.goto(`${suite.server.url}/#chat/${started.sessionId}`);
		const customer = await suite.person(PHONE, null);
		await customer.page.goto(started.inviteUrl);
		await customer.page.getByText("You're chatting with dev-agent").waitFor();
		await page.locator(".person", { hasText: "Noor" }).waitFor();

		await page.getByRole("button", { name: "Leave", exact: true }).click();
		await page.getByRole("dialog").getByRole("button", { name: "Leave", exact: true }).click();
		await page.locator(".banner", { hasText: "You left" }).getByText(/^The customer can come back until .+ \(12 hr\); the chat then returns to you or the queue\.$/).waitFor();
		const card = page.locator(".case-card");
		await card.locator(".pill", { hasText: /^You left$/ }).waitFor();
		expect(await card.locator(".person", { hasText: "dev-agent" }).count()).toBe(0);
		expect(await field(page, "Message").getAttribute("placeholder")).toBe("You left this chat. Open it again to rejoin.");
		expect(await page.locator("body").textContent()).not.toContain("This chat is over");
	});

	it("shows a key nobody used as a warning, not as a success", async () => {
		const shortKeys = await startDevServer({ vars: { KEY_TTL_SECONDS: "2" } });
		try {
			const page = await agentConsole(CONSOLE, shortKeys);
			const started = await startSession(shortKeys, "Nobody came");
			await page.goto(`${shortKeys.url}/#chat/${started.sessionId}`);
			const ended = page.locator(".sys", { hasText: "The support key expired before anyone joined" });
			await ended.waitFor({ timeout: 15_000 });
			const banner = page.locator(".banner", { hasText: "The support key has expired" });
			const background = (node: Element) => getComputedStyle(node).backgroundColor;
			// The line reads like the warning banner above it, not like a resolved case.
			expect(await ended.evaluate(background)).toBe(await banner.evaluate(background));
			await page.locator(".case-card .pill", { hasText: /^Expired$/ }).waitFor();
		} finally {
			// Closed before its server, which it would otherwise try to reconnect to.
			await Promise.all(suite.contexts().map((context) => context.close()));
			await shortKeys.stop();
		}
	});

	it("holds its layout from 1280 to 1920 pixels: no clipped button, warnings that look like warnings", async () => {
		const page = await agentConsole();
		await apiCall(suite.server.url, "/api/cases", { agent: true, body: { subject: "A case with a long subject about the office printer that keeps jamming", customer: { name: "Dana", phone: "+4915112345678" } } });
		await page.getByRole("button", { name: "New case" }).waitFor();
		await page.reload();
		await page.locator(".case-item", { hasText: "office printer" }).getByRole("button", { name: "Start chat" }).click();
		await page.locator(".support-key").waitFor();
		// SMS and email are not set up locally: the agent is told before any click, in words they can act on.
		await page.getByText("SMS isn't set up for this deployment — ask your administrator.").waitFor();
		await page.getByText("Email isn't set up for this deployment — ask your administrator.").waitFor();
		expect(await page.getByRole("button", { name: "Send SMS" }).isDisabled()).toBe(true);
		await page.locator(".channel-setup").first().getByText("For the administrator").click();
		await page.getByText("Set SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM.").waitFor();
		for (const width of [1280, 1366, 1920]) {
			await page.setViewportSize({ width, height: 850 });
			const clipped = await page.locator("button:visible, a.btn:visible").evaluateAll((buttons) =>
				buttons.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => `${b.textContent} (${b.scrollWidth} > ${b.clientWidth})`),
			);
			expect(clipped, `${width} px`).toEqual([]);
			expect(await onScreen(page, ".composer-input"), `${width} px`).toBe(true);
		}
	});

	it("gives a new invite link that retires the old one, for the link and for the key's holder alike", async () => {
		await apiCall(suite.server.url, "/api/cases", { agent: true, body: { subject: "Modem blinks red", customer: { name: "Dana" } } });
		const page = await agentConsole();
		await page.locator(".case-item", { hasText: "Modem blinks red" }).getByRole("button", { name: "Start chat" }).click();
		const link = page.getByLabel("Invite link");
		const first = await link.inputValue();
		const customer = await suite.person(PHONE, null);
		await customer.page.goto(first);
		await customer.page.locator(".composer-input").waitFor();

		// The invite folds away once the customer is in; the agent opens it again for a new link.
		await page.locator("summary", { hasText: "Invite the customer" }).click();
		await page.getByRole("button", { name: "New link" }).click();
		await page.getByText("A new link is ready: the old one no longer works, and whoever came in by it was disconnected.").waitFor();
		const second = await link.inputValue();
		expect(second).not.toBe(first);
		// The customer who came in by the old link is told, and not left reconnecting.
		await customer.page.getByText("this link was replaced by a newer one: ask your support agent for the new link").waitFor();

		const elsewhere = await suite.person(PHONE, null);
		await elsewhere.page.goto(first);
		await elsewhere.page.getByRole("heading", { name: "This link was replaced" }).waitFor();
		await elsewhere.page.goto(second);
		await elsewhere.page.locator(".composer-input").waitFor();
		expect(await onScreen(elsewhere.page, ".composer-input")).toBe(true);
	});

	it("signs the agent out everywhere, after asking, so that another browser's next step is the sign-in screen", async () => {
		const here = await agentConsole(CONSOLE, suite.server, false);
		const other = await signedInBrowser(CONSOLE, suite.server, false);
		const there = other.page;

		await here.getByRole("button", { name: "Sign out everywhere" }).click();
		const question = here.getByRole("dialog");
		await expect.poll(() => question.textContent()).toContain("Sign out of the console on every device and browser where you are signed in?");
		// Cancel leaves everything as it was.
		await question.getByRole("button", { name: "Cancel" }).click();
		await expect.poll(() => question.isVisible()).toBe(false);
		await here.getByText("Signed in as").waitFor();

		await here.getByRole("button", { name: "Sign out everywhere" }).click();
		// The other console may learn of it from its closed queue or from a request refused 401
		// (e.g. the case list it reloads when the queue changes); both end on its sign-in screen.
		other.watch.signedOutElsewhere();
		await question.getByRole("button", { name: "Sign out everywhere" }).click();
		await field(here, "Agent token").waitFor();
		expect(await onScreen(here, "input[name=token]")).toBe(true);

		// The other console, signed in as the same agent in a browser of its own, is signed out too:
		// told at once by its closed queue, and a reload does not bring it back.
		await there.getByText("Your session has ended: sign in again.").waitFor();
		await there.reload();
		await field(there, "Agent token").waitFor();
		await expect.poll(() => there.getByText("Signed in as").count()).toBe(0);
	});
});
