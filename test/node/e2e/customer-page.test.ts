/**
 * The end-user's chat page as a customer uses it on a phone and on a desktop: the newest message
 * and the message box stay on screen, a customer who joined by key can come back, messages that
 * start with "/" are messages, and every end state says what it is.
 */
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiCall } from "../../support/http";
import { DESKTOP, PHONE, screenshot } from "./browser";
import { agentInChat, browserSuite, field, onScreen, say, send, startSession } from "./people";

const suite = browserSuite();

const replies = (count: number, from = 1) => Array.from({ length: count }, (_, i) => `Reply number ${from + i}: let me check the printer's settings for you.`);

/** A customer in a chat with the dev agent, on the invite link. */
async function inChat(options: BrowserContextOptions, subject: string) {
	const started = await startSession(suite.server, subject);
	const agent = await agentInChat(suite.server, started.sessionId);
	const user = await suite.person(options, null);
	await user.page.goto(started.inviteUrl);
	await user.page.getByText("You're chatting with dev-agent").waitFor();
	return { started, agent, ...user };
}

const newest = (page: Page, text: string) => page.locator(".msg", { hasText: text });

/** A customer on a phone whose page has brought the newest of 12 replies into view, as a person would see it before scrolling. */
async function atTheNewestOf12Replies(subject: string) {
	const { agent, page } = await inChat(PHONE, subject);
	await say(agent, ...replies(12));
	await newest(page, "Reply number 12").waitFor();
	await expect.poll(() => onScreen(page, ".msg:last-child")).toBe(true);
	return { agent, page, log: page.locator(".log") };
}

describe("the end-user's chat page", () => {
	it("keeps the newest message and the message box on screen after 15 replies, on a phone", async () => {
		const { agent, page } = await inChat(PHONE, "Printer on fire");
		await send(page, "Hello, my printer is on fire");
		const sent = replies(15);
		await say(agent, ...sent);
		await newest(page, sent.at(-1) ?? "").waitFor();
		await expect.poll(() => onScreen(page, ".msg:last-child")).toBe(true);
		expect(await onScreen(page, ".composer-input")).toBe(true);
		expect(await onScreen(page, ".case-card")).toBe(true);
		// Only the messages scroll: the page itself stays put.
		expect(await page.evaluate(() => document.scrollingElement?.scrollTop)).toBe(0);
		await screenshot(page, "join-chat-phone");

		// A reload opens at the newest message too.
		await page.reload();
		await newest(page, sent.at(-1) ?? "").waitFor();
		await expect.poll(() => onScreen(page, ".msg:last-child")).toBe(true);
		agent.close();
	});

	it("keeps the message box and the case card on screen from 320 to 1920 pixels wide", async () => {
		const { agent, page } = await inChat({ ...DESKTOP, viewport: { width: 1920, height: 1080 } }, "Wide and narrow");
		await say(agent, ...replies(20));
		for (const viewport of [
			{ width: 1920, height: 1080 },
			{ width: 1366, height: 768 },
			{ width: 320, height: 568 },
		]) {
			await page.setViewportSize(viewport);
			await expect.poll(() => onScreen(page, ".composer-input")).toBe(true);
			expect(await onScreen(page, ".case-card"), `${viewport.width}`).toBe(true);
			expect(await onScreen(page, ".msg:last-child"), `${viewport.width}`).toBe(true);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
		}
		agent.close();
	});

	it("shows a New messages marker when scrolled up, which takes the reader down", async () => {
		const { agent, page, log } = await atTheNewestOf12Replies("Scrolled up");
		await log.evaluate((element) => element.scrollTo({ top: 0 }));
		await expect.poll(() => log.evaluate((element) => element.scrollTop)).toBe(0);
		await say(agent, "A reply while you were reading");
		const marker = page.getByRole("button", { name: "New messages" });
		await marker.waitFor();
		expect(await onScreen(page, ".new-messages")).toBe(true);
		expect(await onScreen(page, ".msg:last-child")).toBe(false);
		await marker.click();
		await expect.poll(() => onScreen(page, ".msg:last-child")).toBe(true);
		await marker.waitFor({ state: "hidden" });
		agent.close();
	});

	it("leaves a reader who scrolls up just as a message lands where they scrolled to", async () => {
		const { agent, page, log } = await atTheNewestOf12Replies("Scrolled as it landed");
		// The reader's scroll lands in the very task that draws the next message, before the browser
		// has dispatched its scroll event: the page has not heard of it when it follows the newest.
		await log.evaluate((element) => {
			const list = element.querySelector(".log-list");
			if (!list) throw new Error("no message list");
			const observer = new MutationObserver(() => {
				observer.disconnect();
				element.scrollTop = 0;
			});
			observer.observe(list, { childList: true });
		});
		await say(agent, "A reply as you scrolled up");
		await newest(page, "A reply as you scrolled up").waitFor();
		const marker = page.getByRole("button", { name: "New messages" });
		await marker.waitFor();
		expect(await onScreen(page, ".new-messages")).toBe(true);
		expect(await log.evaluate((element) => element.scrollTop)).toBe(0);
		expect(await onScreen(page, ".msg:last-child")).toBe(false);
		agent.close();
	});

	it("lets a customer who joined by key close the tab and come back, and continue on another device", async () => {
		const started = await startSession(suite.server, "Key then closed tab");
		const agent = await agentInChat(suite.server, started.sessionId);
		const user = await suite.person(PHONE, "/join");
		// A second tab, opened before joining, still shows the key form.
		const formTab = await user.context.newPage();
		await formTab.goto(`${suite.server.url}/join`);
		await field(formTab, "Support key").waitFor();

		await field(user.page, "Support key").fill(started.supportKey);
		await user.page.getByRole("button", { name: "Join the chat" }).click();
		await send(user.page, "Before closing the tab");
		await user.page.locator(".msg.mine:not(.pending)", { hasText: "Before closing the tab" }).waitFor();
		await user.page.close();

		// The same browser, a new tab on the bare page: the chat is there.
		const again = await user.context.newPage();
		await again.goto(`${suite.server.url}/join`);
		await again.locator(".msg.mine", { hasText: "Before closing the tab" }).waitFor();
		await say(agent, "Welcome back");
		await again.locator(".msg.theirs", { hasText: "Welcome back" }).waitFor();
		await again.close();

		// Typing the used key again in this browser resumes the chat rather than refusing it.
		await field(formTab, "Support key").fill(started.supportKey);
		await formTab.getByRole("button", { name: "Join the chat" }).click();
		await formTab.locator(".msg.theirs", { hasText: "Welcome back" }).waitFor();

		await formTab.getByRole("button", { name: "Continue on another device" }).click();
		const dialog = formTab.getByRole("dialog", { name: "Continue on another device" });
		const link = await dialog.getByRole("textbox", { name: "Link to this chat" }).inputValue();
		expect(link).toMatch(new RegExp(`^${suite.server.url}/join#invite=[A-Za-z0-9_-]{66}$`));
		await dialog.getByRole("img", { name: "QR code of the link to this chat" }).waitFor();
		await screenshot(formTab, "join-continue-phone");

		// The link opens the same chat on the other device.
		const other = await suite.person(DESKTOP, null);
		await other.page.goto(link);
		await other.page.locator(".msg.theirs", { hasText: "Welcome back" }).waitFor();
		agent.close();
	});

	it("sends a message that starts with a path as text, and asks before /resolve", async () => {
		const { agent, page, started } = await inChat(DESKTOP, "Slash messages");
		await send(page, "/Users/me/Desktop/router-log.txt is the log file");
		await page.locator(".msg.mine:not(.pending)", { hasText: "/Users/me/Desktop/router-log.txt is the log file" }).waitFor();

		await send(page, "/resolve");
		const dialog = page.getByRole("dialog");
		await dialog.getByText("Resolve this case? This also ends the chat.").waitFor();
		await dialog.getByRole("button", { name: "Cancel" }).click();
		const state = await apiCall<{ status: string }>(suite.server.url, `/api/sessions/${started.sessionId}`, { agent: true });
		expect(state.status).toBe("active");
		await send(page, "/resolve");
		await dialog.getByRole("button", { name: "Resolve case" }).click();
		await page.getByText("This case is resolved").waitFor();
		agent.close();
	});

	it("names a resolved case's link as resolved, in the same browser and in another", async () => {
		const { agent, page, started, context } = await inChat(PHONE, "Resolved later");
		await page.close();
		await apiCall(suite.server.url, `/api/sessions/${started.sessionId}/resolve`, { agent: true, body: {} });
		const same = await context.newPage();
		await same.goto(started.inviteUrl);
		await same.getByText("This case is resolved").waitFor();
		expect(await same.locator("body").textContent()).not.toContain("still open");
		await screenshot(same, "join-resolved-phone");

		const other = await suite.person(PHONE, null);
		await other.page.goto(started.inviteUrl);
		await other.page.getByRole("heading", { name: "This case is resolved" }).waitFor();
		expect(await other.page.locator("body").textContent()).not.toContain("still open");
		agent.close();
	});

	it("leads with the message box and speaks to the customer", async () => {
		const { agent, page } = await inChat(PHONE, "Wording");
		// The message box is the primary action; End chat and Resolve case are secondary.
		expect(await page.locator(".case-card .btn-primary").filter({ visible: true }).count()).toBe(0);
		await page.locator(".case-card").getByRole("button", { name: "Resolve case" }).waitFor();
		await page.locator(".case-card").getByRole("button", { name: "End chat" }).waitFor();
		// No 25-hour countdown.
		expect(await page.locator(".case-card").textContent()).not.toMatch(/\d+:\d\d:\d\d/);
		expect(await page.locator("body").textContent()).not.toContain("Anyone who joins this chat");
		await page.getByText("Keep your chat link to yourself: anyone who has it can open this chat and see the case details.").waitFor();
		// The customer's own events in the second person.
		await page.locator(".sys", { hasText: "You joined the chat" }).waitFor();
		// Links are links that open elsewhere, made of the text itself.
		await say(agent, "See https://example.com/help?topic=printer for the steps.");
		const link = page.locator(".msg.theirs a", { hasText: "https://example.com/help?topic=printer" });
		await link.waitFor();
		expect(await link.getAttribute("href")).toBe("https://example.com/help?topic=printer");
		expect(await link.getAttribute("target")).toBe("_blank");
		expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
		expect(await page.locator(".msg.theirs .msg-text").last().textContent()).toBe("See https://example.com/help?topic=printer for the steps.");
		agent.close();
	});
});

