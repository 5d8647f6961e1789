/**
 * The console and the end-user page in Chromium against `wrangler dev`: an agent and an end-user
 * chat from sign-in to a resolved case, through a typing indicator, a dropped connection and a
 * reload; what the pages send and load; and the screenshots the README shows.
 */
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseRecord, StartedSession } from "../../../src/shared/api";
import { TranscriptSchema } from "../../../src/shared/transcript";
import type { DevServer } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";
import { apiCall } from "../../support/http";
import { inlineScriptBytes } from "../../support/inline-scripts";
import type { PageWatch } from "./browser";
import { DESKTOP, PHONE, connectionSwitch, launchBrowser, screenshot, watchPage } from "./browser";

let server: DevServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	[server, browser] = await Promise.all([startDevServer(), launchBrowser()]);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** A browser of its own (cookies, storage), on `path` if given. */
async function open(options: Parameters<Browser["newContext"]>[0], path: string | null): Promise<{ page: Page; watch: PageWatch; context: BrowserContext }> {
	const context = await browser.newContext(options);
	contexts.push(context);
	const page = await context.newPage();
	const watch = watchPage(page, server.url);
	if (path !== null) await page.goto(`${server.url}${path}`);
	return { page, watch, context };
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

async function signIn(page: Page): Promise<void> {
	await field(page, "Agent token").fill("dev-agent-token");
	await page.getByRole("button", { name: "Sign in" }).click();
	await page.getByText("Signed in as").waitFor();
}

/** A customer waiting in the queue, set up through the API as another customer's browser would. */
async function waitingCustomer(subject: string, severity: CaseRecord["severity"]): Promise<StartedSession> {
	const created = await apiCall<CaseRecord>(server.url, "/api/cases", { agent: true, body: { subject, severity, customer: { name: "Walter" } } });
	const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
	await apiCall(server.url, "/api/join", { body: { supportKey: started.supportKey } });
	return started;
}

/** What a click downloads, as text. */
async function downloaded(page: Page, control: Locator): Promise<string> {
	const [download] = await Promise.all([page.waitForEvent("download"), control.click()]);
	const chunks: Buffer[] = [];
	for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks).toString("utf8");
}

const texts = (page: Page) => page.locator(".log .msg .msg-text").allTextContents();

describe("the console and the end-user page", () => {
	it("take an agent and an end-user from sign-in to a resolved case", async () => {
		const agent = await open({ ...DESKTOP, permissions: ["clipboard-read", "clipboard-write"] }, "/");
		const { page: console_ } = agent;

		// Sign in: a wrong token is refused in words, the right one becomes an HttpOnly cookie.
		await field(console_, "Agent token").fill("not-my-token");
		await console_.getByRole("button", { name: "Sign in" }).click();
		await console_.getByText("That agent token is not valid.").waitFor();
		await signIn(console_);
		const cookies = await agent.context.cookies();
		expect(cookies.find((c) => c.name === "__Host-agent_session")).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
		expect(await console_.evaluate(() => document.cookie)).not.toContain("agent_session");

		// Chats waiting for an agent appear live, with how long they have waited, and badge the title.
		await waitingCustomer("VPN drops every hour", "urgent");
		await console_.locator(".queue-item", { hasText: "VPN drops every hour" }).waitFor();
		await waitingCustomer("Cannot print invoices", "normal");
		await console_.locator(".queue-item", { hasText: "Cannot print invoices" }).waitFor();
		await expect.poll(() => console_.title()).toBe("(2) Support console");
		expect(await console_.locator(".queue-item .waited").first().textContent()).toMatch(/^waiting \d+:\d\d$/);

		// Open a case and start a session on it.
		await console_.getByRole("button", { name: "New case" }).click();
		await field(console_, "Subject").fill("Printer on fire");
		await field(console_, "Severity").selectOption("high");
		await field(console_, "Name").fill("Dana");
		await field(console_, "Mobile number").fill("+4915112345678");
		await console_.getByRole("button", { name: "Create case" }).click();
		const caseItem = console_.locator(".case-item", { hasText: "Printer on fire" });
		await caseItem.waitFor();
		await caseItem.getByRole("button", { name: "Start chat" }).click();

		// The key, large and grouped, with its time counting down; the link onto the clipboard.
		const key = (await console_.locator(".support-key [aria-hidden]").textContent()) ?? "";
		expect(key).toMatch(/^\d{3} \d{3} \d{3}$/);
		const expiry = console_.locator(".key-expiry");
		const firstExpiry = await expiry.textContent();
		expect(firstExpiry).toMatch(/^Expires in (59:[0-5]\d|1:00:00)$/);
		await expect.poll(() => expiry.textContent(), { timeout: 3000 }).not.toBe(firstExpiry);
		await console_.getByRole("button", { name: "Copy link" }).click();
		await console_.getByText("The invite link is on the clipboard.").waitFor();
		const link = await console_.evaluate(() => navigator.clipboard.readText());
		expect(link).toMatch(new RegExp(`^${server.url}/join#invite=[A-Za-z0-9_-]{66}$`));
		expect(await console_.locator(".invite-link").inputValue()).toBe(link);

		// SMS is not configured locally: the agent is told before trying, in words they can act on.
		await console_.getByText("SMS isn't set up for this deployment — ask your administrator.").waitFor();
		expect(await console_.getByRole("button", { name: "Send SMS" }).isDisabled()).toBe(true);
		await screenshot(console_, "console-queue");

		// The end-user opens the link on a phone in Tokyo and is in the chat, the token gone from the address.
		const user = await open({ ...PHONE, timezoneId: "Asia/Tokyo" }, null);
		const network = await connectionSwitch(user.context);
		const { page: phone } = user;
		// Read receipts the phone sends: each is a row the session writes, so only for what others wrote.
		const receipts: string[] = [];
		phone.on("websocket", (socket) => socket.on("framesent", ({ payload }) => void (typeof payload === "string" && payload.includes('"type":"read"') && receipts.push(payload))));
		await phone.goto(link);
		await phone.getByText("You're chatting with dev-agent").waitFor();
		expect(phone.url()).toBe(`${server.url}/join`);
		await phone.getByText("Keep your chat link to yourself: anyone who has it can open this chat and see the case details.").waitFor();
		await console_.locator(".person", { hasText: "Dana" }).waitFor();
		await expect.poll(() => console_.locator(".invite").getAttribute("open")).toBeNull();

		// They chat; the agent sees the end-user typing.
		const receiptsBefore = receipts.length;
		await phone.getByLabel("Message", { exact: true }).fill("Hello, my printer is on fire");
		await phone.getByLabel("Message", { exact: true }).press("Enter");
		await console_.locator(".msg.theirs", { hasText: "Hello, my printer is on fire" }).waitFor();
		// Stored and back on the phone ("Read" at once, with the agent's console on the chat).
		await phone.locator(".msg.mine", { hasText: "Hello, my printer is on fire" }).getByText(/^(Sent|Read)$/).waitFor();
		expect(receipts).toHaveLength(receiptsBefore);
		await console_.getByLabel("Message", { exact: true }).fill("Hi Dana, I'm on it. Is anyone hurt?");
		await console_.getByLabel("Message", { exact: true }).press("Enter");
		await phone.locator(".msg.theirs", { hasText: "Is anyone hurt?" }).waitFor();
		await console_.locator(".msg.mine", { hasText: "Is anyone hurt?" }).getByText("Read").waitFor();
		expect(receipts).toHaveLength(receiptsBefore + 1);
		await phone.getByLabel("Message", { exact: true }).pressSequentially("No, we are all fine");
		await console_.getByText("Dana is typing…").waitFor();
		await phone.getByLabel("Message", { exact: true }).press("Enter");
		await console_.locator(".msg.theirs", { hasText: "No, we are all fine" }).waitFor();
		await screenshot(console_, "console-chat");

		// Times are the end-user's own: Tokyo's clock, in their locale's format.
		const stamp = phone.locator(".msg.mine time").first();
		const at = new Date((await stamp.getAttribute("datetime")) ?? "");
		expect(await stamp.textContent()).toBe(new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone: "Asia/Tokyo" }).format(at));

		// The connection drops: the page says so, keeps what is sent, and catches up when it is back.
		network.cut();
		await phone.getByText("Connection lost. Reconnecting…").waitFor();
		await phone.getByLabel("Message", { exact: true }).fill("Sent while the network was down");
		await phone.getByLabel("Message", { exact: true }).press("Enter");
		await phone.locator(".msg.pending", { hasText: "Sent while the network was down" }).getByText("Sending…").waitFor();
		await console_.getByLabel("Message", { exact: true }).fill("Written while you were away");
		await console_.getByLabel("Message", { exact: true }).press("Enter");

		// A reload while still offline keeps the history and the unsent message.
		const before = await texts(phone);
		await phone.reload();
		await phone.locator(".msg.pending", { hasText: "Sent while the network was down" }).waitFor();
		expect(await texts(phone)).toEqual(before);
		network.restore();
		await phone.locator(".msg.theirs", { hasText: "Written while you were away" }).waitFor({ timeout: 15_000 });
		await phone.locator(".msg.mine:not(.pending)", { hasText: "Sent while the network was down" }).waitFor();
		await expect.poll(() => phone.locator(".connection").isHidden()).toBe(true);

		// A plain reload: the same history, each message once.
		await phone.reload();
		await phone.locator(".msg.theirs", { hasText: "Written while you were away" }).waitFor();
		const expected = [
			"Hello, my printer is on fire",
			"Hi Dana, I'm on it. Is anyone hurt?",
			"No, we are all fine",
			"Written while you were away",
			"Sent while the network was down",
		];
		await expect.poll(() => texts(phone)).toEqual(expected);
		await expect.poll(() => texts(console_)).toEqual(expected);

		// /resolve in the message box asks, as the button does, and resolves the case on both sides.
		await console_.getByLabel("Message", { exact: true }).fill("/resolve");
		await console_.getByLabel("Message", { exact: true }).press("Enter");
		await console_.getByRole("dialog").getByRole("button", { name: "Resolve case" }).click();
		await phone.getByText("This case is resolved").waitFor();
		await phone.getByText("Thank you for contacting support.").waitFor();
		expect(await phone.getByLabel("Message", { exact: true }).isDisabled()).toBe(true);
		await console_.getByText("This case is resolved").waitFor();
		await console_.locator(".case-card .pill", { hasText: /^Resolved$/ }).waitFor();
		expect(await texts(console_)).toEqual(expected);
		await console_.locator(".case-item", { hasText: "Printer on fire" }).locator(".pill", { hasText: /^Resolved$/ }).waitFor();

		// The transcript, in the console and as a download.
		await console_.getByRole("button", { name: "View transcript" }).click();
		await console_.locator(".transcript .msg", { hasText: "Sent while the network was down" }).waitFor();
		expect(await console_.locator(".transcript .msg .msg-text").allTextContents()).toEqual(expected);
		const transcript = TranscriptSchema.parse(JSON.parse(await downloaded(console_, console_.getByRole("link", { name: "Download JSON" }))));
		expect(transcript.events.flatMap((e) => (e.type === "message" ? [e.text] : []))).toEqual(expected);
		expect(transcript.events.at(-1)).toMatchObject({ type: "chat_ended", reason: "resolved" });
		// And as text to read: names, dates and times in the agent's time zone (UTC here).
		const text = await downloaded(console_, console_.getByRole("button", { name: "Download as text" }));
		const day = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(transcript.endedAt ?? 0);
		expect(text).toContain("Printer on fire");
		expect(text).toContain("Times are in Coordinated Universal Time.");
		expect(text).toMatch(new RegExp(`^\\[${day}, \\d{1,2}:\\d\\d\\s[AP]M\\] Dana \\(customer\\): Hello, my printer is on fire$`, "m"));
		expect(text).toMatch(/\] dev-agent \(agent\): Hi Dana, I'm on it\. Is anyone hurt\?$/m);
		expect(text).not.toMatch(/\d{13}/);

		// An agent picks a waiting chat from the queue; it leaves the queue for every console.
		await console_.getByRole("button", { name: "Join the chat: VPN drops every hour" }).click();
		await console_.locator(".case-card", { hasText: "VPN drops every hour" }).waitFor();
		await console_.locator(".queue-item", { hasText: "VPN drops every hour" }).waitFor({ state: "detached" });
		await expect.poll(() => console_.title()).toBe("(1) Support console");

		// Signing out clears the cookie.
		await console_.getByRole("button", { name: "Sign out", exact: true }).click();
		await field(console_, "Agent token").waitFor();
		expect((await agent.context.cookies()).some((c) => c.name === "__Host-agent_session")).toBe(false);

		expect(agent.watch.problems).toEqual([]);
		expect(user.watch.problems).toEqual([]);
	});

	it("shows markup in a message as text, and right-to-left text right to left", async () => {
		const created = await apiCall<CaseRecord>(server.url, "/api/cases", { agent: true, body: { subject: "<b>Bold?</b> subject" } });
		const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
		const agent = await open(DESKTOP, "/");
		await signIn(agent.page);
		await agent.page.goto(`${server.url}/#chat/${started.sessionId}`);
		await agent.page.getByText("Waiting for the customer to join").waitFor();
		// The narrowest phone the pages are made for.
		const user = await open({ ...PHONE, viewport: { width: 360, height: 740 } }, "/join");
		await field(user.page, "Support key").fill(started.supportKey.replace(/(\d{3})(?=\d)/g, "$1 "));
		await user.page.getByRole("button", { name: "Join the chat" }).click();

		const attack = "<img src=x onerror=alert(1)>";
		const arabic = "مرحبا، الطابعة لا تعمل";
		for (const text of [attack, arabic]) {
			await user.page.getByLabel("Message", { exact: true }).fill(text);
			await user.page.getByLabel("Message", { exact: true }).press("Enter");
		}
		const shown = agent.page.locator(".msg.theirs .msg-text");
		await expect.poll(() => shown.allTextContents()).toEqual([attack, arabic]);
		expect(await agent.page.locator(".log img").count()).toBe(0);
		expect(await agent.page.locator(".case-subject").first().textContent()).toBe("<b>Bold?</b> subject");
		expect(await agent.page.locator(".case-card b").count()).toBe(0);
		expect(await shown.nth(0).evaluate((node) => node.matches(":dir(ltr)"))).toBe(true);
		expect(await shown.nth(1).evaluate((node) => node.matches(":dir(rtl)"))).toBe(true);
		expect(await user.page.locator(".msg.mine .msg-text").nth(1).evaluate((node) => node.matches(":dir(rtl)"))).toBe(true);
		expect(await user.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(agent.watch.problems).toEqual([]);
		expect(user.watch.problems).toEqual([]);
	});

	it("lets an agent leave and come back from the queue, and the end-user end the chat", async () => {
		const created = await apiCall<CaseRecord>(server.url, "/api/cases", { agent: true, body: { subject: "Scanner jams", customer: { name: "Noor" } } });
		const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
		const agent = await open(DESKTOP, "/");
		await signIn(agent.page);
		await agent.page.goto(`${server.url}/#chat/${started.sessionId}`);
		await agent.page.getByText("Waiting for the customer to join").waitFor();
		const user = await open(PHONE, null);
		await user.page.goto(started.inviteUrl);
		await user.page.getByText("You're chatting with dev-agent").waitFor();

		// The agent leaves: the end-user is told, and the chat waits in the queue for whoever is next.
		await agent.page.getByRole("button", { name: "Leave", exact: true }).click();
		await agent.page.getByRole("dialog").getByRole("button", { name: "Leave", exact: true }).click();
		await agent.page.locator(".banner", { hasText: "You left" }).getByText(/^The customer can come back until /).waitFor();
		expect(await agent.page.getByLabel("Message", { exact: true }).isDisabled()).toBe(true);
		await user.page.getByText("The agent has left the chat").waitFor();
		await user.page.getByText(/^dev-agent stepped away\. The chat waits until /).waitFor();
		// One line for leaving: the one that says until when.
		expect(await user.page.locator(".sys", { hasText: "dev-agent left the chat" }).count()).toBe(0);
		const queued = agent.page.locator(".queue-item", { hasText: "Scanner jams" });
		// Nobody is waiting yet: the chat waits for the customer, out of the queue.
		expect(await queued.count()).toBe(0);

		// The end-user writes again: the chat is queued for the agent who left, who picks it up.
		await user.page.getByLabel("Message", { exact: true }).fill("Hey, I'm back");
		await user.page.getByLabel("Message", { exact: true }).press("Enter");
		await queued.getByText("Was with dev-agent").waitFor();
		await user.page.getByText("You're back").waitFor();
		await queued.getByRole("button", { name: "Join the chat: Scanner jams" }).click();
		await agent.page.locator(".msg.theirs", { hasText: "Hey, I'm back" }).waitFor();
		await agent.page.getByText("Noor is back").waitFor();
		await user.page.getByText("You're chatting with dev-agent").waitFor();
		await queued.waitFor({ state: "detached" });

		// End chat (not resolve) from the end-user's side: the case stays open.
		await user.page.getByRole("button", { name: "End chat" }).click();
		await user.page.getByRole("dialog").getByRole("button", { name: "End chat" }).click();
		await user.page.getByText("This chat has ended").waitFor();
		await agent.page.getByText("The customer ended the chat").waitFor();
		const after = await apiCall<CaseRecord>(server.url, `/api/cases/${created.caseId}`, { agent: true });
		expect(after).toMatchObject({ status: "open", session: { status: "ended" } });
		await agent.page.locator(".case-item", { hasText: "Scanner jams" }).getByRole("button", { name: "Start chat" }).waitFor();

		expect(agent.watch.problems).toEqual([]);
		expect(user.watch.problems).toEqual([]);
	});

	it("fits the console on the narrowest phone, case list and chat, without sideways scrolling", async () => {
		const started = await waitingCustomer("A very long subject line about the office printer that keeps jamming on every second page", "urgent");
		const agent = await open({ ...PHONE, viewport: { width: 360, height: 740 } }, "/");
		const fits = () => agent.page.evaluate(() => document.documentElement.scrollWidth);
		await field(agent.page, "Agent token").fill("dev-agent-token");
		await agent.page.getByRole("button", { name: "Sign in" }).click();
		// Narrow screens keep the sign-out button and drop the "Signed in as" words.
		await agent.page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
		await agent.page.getByRole("button", { name: /^Join the chat: A very long subject line/ }).waitFor();
		expect(await fits()).toBeLessThanOrEqual(360);
		await agent.page.goto(`${server.url}/#chat/${started.sessionId}`);
		await agent.page.getByLabel("Message", { exact: true }).waitFor();
		expect(await fits()).toBeLessThanOrEqual(360);
		expect(agent.watch.problems).toEqual([]);
	});

	it("loads the customer's pages and the sign-in with under 100 KB of JavaScript, the signed-in console with a chat under 150 KB, and nothing from elsewhere", async () => {
		const started = await waitingCustomer("Budget check", "normal");
		// Each language is a chunk of its own: Japanese, the largest, is counted too.
		for (const [path, locale, signedIn] of [
			["/", "en-US", false],
			["/", "ja-JP", false],
			["/join", "en-US", false],
			["/join", "ja-JP", false],
			["/chat", "en-US", false],
			["/chat", "ja-JP", false],
			[`/#chat/${started.sessionId}`, "en-US", true],
			[`/#chat/${started.sessionId}`, "ja-JP", true],
		] as const) {
			const context = await browser.newContext({ ...DESKTOP, locale });
			contexts.push(context);
			const page = await context.newPage();
			const watch = watchPage(page, server.url);
			if (signedIn) {
				// Signed in beforehand, as someone who works in the console is: its first load is then the whole app and a chat.
				const login = await context.request.post(`${server.url}/api/auth/login`, { data: { token: "dev-agent-token" }, headers: { Origin: server.url } });
				expect(login.status()).toBe(200);
				await context.addInitScript(() => localStorage.setItem("console-signed-in", "yes"));
			}
			const scripts: Promise<number>[] = [];
			page.on("response", (response) => {
				if (response.request().resourceType() === "script" && response.url().startsWith(server.url)) scripts.push(response.body().then((body) => body.byteLength));
			});
			await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
			if (signedIn) await page.locator(".composer textarea").waitFor();
			// The join page's own script is in the page (it arrives whole), and counts as much.
			const sizes = [...(await Promise.all(scripts)), ...(await inlineScriptBytes(page))];
			expect(sizes.length, path).toBeGreaterThan(0);
			// The customer's pages are opened on phones, on any network: 100 KB. An agent works in the console all day, on a desktop, and loads it once.
			expect(sizes.reduce((a, b) => a + b, 0), `${path} ${locale}`).toBeLessThan((signedIn ? 150 : 100) * 1024);
			// The pre-chat form asks for Turnstile's challenge (here with its test keys, and no internet): the one other site a page may use.
			const ours = path === "/chat" ? watch.problems.filter((p) => !p.includes("https://challenges.cloudflare.com/")) : watch.problems;
			expect(ours, `${path} ${locale}`).toEqual([]);
		}
	});

	it("asks for every script of the invite page at once, its language's texts included, on a phone's slow network", async () => {
		const created = await apiCall<CaseRecord>(server.url, "/api/cases", { agent: true, body: { subject: "Preloads", severity: "normal", customer: { name: "Kenji" } } });
		const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
		const context = await browser.newContext({ ...PHONE, locale: "ja-JP" });
		contexts.push(context);
		const page = await context.newPage();
		// Each request takes 200 ms more, as on a phone: a script asked for only once another has arrived shows.
		const cdp = await context.newCDPSession(page);
		await cdp.send("Network.enable");
		await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 200, downloadThroughput: -1, uploadThroughput: -1 });
		await page.goto(started.inviteUrl);
		await page.locator(".composer textarea").waitFor();
		expect(await page.title()).toBe("サポートチャット");
		const scripts = await page.evaluate(() =>
			performance
				.getEntriesByType("resource")
				.filter((entry): entry is PerformanceResourceTiming => entry instanceof PerformanceResourceTiming && new URL(entry.name).pathname.endsWith(".js"))
				.map((entry) => ({ path: new URL(entry.name).pathname, startTime: entry.startTime, responseEnd: entry.responseEnd })),
		);
		// The page arrives whole, its script in it: what it fetches is the Japanese texts it picks.
		expect(scripts.map((s) => s.path)).not.toContain("/build/join.js");
		expect(scripts.some((s) => /^\/build\/chunks\/ja-[A-Z0-9]+\.js$/.test(s.path)), JSON.stringify(scripts)).toBe(true);
		// Asked for with the page, from its Link header: before the page was parsed, so before its script ran.
		const parsed = await page.evaluate(() => performance.getEntriesByType("navigation").map((entry) => (entry instanceof PerformanceNavigationTiming ? entry.domInteractive : 0))[0] ?? 0);
		expect(parsed).toBeGreaterThan(0);
		expect(scripts.filter((s) => s.startTime >= parsed), JSON.stringify({ parsed, scripts })).toEqual([]);
	});
});
