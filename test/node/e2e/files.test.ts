/**
 * Files between the end-user on a phone and the agent's console, in Chromium against
 * `wrangler dev`: an image through the phone's picker with its progress, the agent's preview and
 * byte-identical download, a PDF the other way, and a cancel that leaves nothing in the chat.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { CaseRecord, StartedSession } from "../../../src/shared/api";
import { apiCall } from "../../support/http";
import type { PageWatch } from "./browser";
import { DESKTOP, PHONE, serverAndBrowser, watchPage } from "./browser";

const running = serverAndBrowser();

const MiB = 1024 * 1024;
/** A 1×1 PNG, then `padding` bytes after its end, which image decoders ignore: a photo-sized PNG. */
function png(padding: number): Buffer {
	const image = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
	return Buffer.concat([image, Buffer.alloc(padding, 7)]);
}
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function open(options: Parameters<Browser["newContext"]>[0], path: string): Promise<{ page: Page; watch: PageWatch }> {
	const page = await (await running.browser.newContext(options)).newPage();
	const watch = watchPage(page, running.server.url);
	await page.goto(`${running.server.url}${path}`);
	return { page, watch };
}

/** A customer on a phone and the agent in the console, both in one chat. */
async function chat(): Promise<{ phone: Page; console_: Page; watches: PageWatch[] }> {
	const created = await apiCall<CaseRecord>(running.server.url, "/api/cases", { agent: true, body: { subject: "Files please", customer: { name: "Dana" } } });
	const started = await apiCall<StartedSession>(running.server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
	const user = await open(PHONE, new URL(started.inviteUrl).pathname + new URL(started.inviteUrl).hash);
	const agent = await open(DESKTOP, "/");
	await agent.page.getByLabel("Agent token", { exact: true }).fill("dev-agent-token");
	await agent.page.getByRole("button", { name: "Sign in" }).click();
	await agent.page.getByText("Signed in as").waitFor();
	await agent.page.goto(`${running.server.url}/#chat/${started.sessionId}`);
	await agent.page.getByLabel("Message", { exact: true }).waitFor();
	await user.page.getByText("You're chatting with dev-agent").waitFor();
	// The attach button is on once each page has the session's state.
	for (const page of [user.page, agent.page]) await page.locator('input[type="file"]:enabled').waitFor({ state: "attached" });
	return { phone: user.page, console_: agent.page, watches: [user.watch, agent.watch] };
}

/** Holds every request for part `n` until released, so a test can see an upload half-way. */
async function holdPart(page: Page, n: number): Promise<{ held: Promise<Route>; release: () => Promise<void> }> {
	let hold: (route: Route) => void = () => undefined;
	const held = new Promise<Route>((resolve) => (hold = resolve));
	await page.route(new RegExp(`/files/[^/]+/parts/${n}$`), (route) => hold(route));
	return { held, release: async () => (await held).continue() };
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<Buffer> {
	const [download] = await Promise.all([page.waitForEvent("download"), click()]);
	return readFileSync(await download.path());
}

describe("files in the chat", () => {
	it("the customer's photo goes up with its progress; the agent sees the preview and downloads it byte for byte", async () => {
		const { phone, console_, watches } = await chat();
		const photo = png(5 * MiB + 200_000);
		const second = await holdPart(phone, 2);
		await phone.locator('input[type="file"]').setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: photo });
		await second.held;
		const progress = phone.locator(".upload progress");
		// Part 1 of 2 (5 of 5.2 MiB) has gone; the page says so while part 2 is held.
		await expect.poll(() => progress.getAttribute("value"), { timeout: 10_000 }).toMatch(/^(8\d|9\d)$/);
		expect(await phone.locator(".upload-text").textContent()).toMatch(/^Uploading… \d+%$/);
		// Nobody sees the file before it is complete.
		expect(await console_.locator(".msg-file").count()).toBe(0);
		await second.release();

		const preview = console_.locator(".msg-file img.file-preview[src]");
		await preview.waitFor();
		const width = await preview.evaluate((img: HTMLImageElement) =>
			img.complete ? img.naturalWidth : new Promise<number>((resolve) => img.addEventListener("load", () => resolve(img.naturalWidth), { once: true })),
		);
		expect(width).toBe(1);
		expect(await console_.locator(".msg-file .file-facts").textContent()).toMatch(/^photo\.png · 5\.2 MB$/);
		await phone.locator(".upload").waitFor({ state: "hidden" });
		const bytes = await downloaded(console_, () => console_.getByRole("button", { name: "Download photo.png" }).click());
		expect(bytes.equals(photo)).toBe(true);
		for (const watch of watches) expect(watch.problems).toEqual([]);
	});

	it("the agent sends a PDF and the customer downloads it", async () => {
		const { phone, console_, watches } = await chat();
		await console_.locator('input[type="file"]').setInputFiles({ name: "steps.pdf", mimeType: "application/pdf", buffer: PDF });
		const button = phone.getByRole("button", { name: "Download steps.pdf" });
		await button.waitFor();
		const bytes = await downloaded(phone, () => button.click());
		expect(bytes.equals(PDF)).toBe(true);
		for (const watch of watches) expect(watch.problems).toEqual([]);
	});

	it("a screenshot pasted into the message box is sent, and so is a file dropped onto the chat", async () => {
		const { phone, console_, watches } = await chat();
		const image = [...png(100)];
		await console_.evaluate((bytes) => {
			const data = new DataTransfer();
			data.items.add(new File([new Uint8Array(bytes)], "image.png", { type: "image/png" }));
			document.querySelector("textarea")?.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
		}, image);
		await phone.locator(".msg-file", { hasText: "image.png" }).waitFor();
		await console_.evaluate(() => {
			const data = new DataTransfer();
			data.items.add(new File(["printer.log line 1\n"], "printer.log", { type: "" }));
			document.querySelector(".log")?.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
		});
		await phone.locator(".msg-file", { hasText: "printer.log" }).waitFor();
		for (const watch of watches) expect(watch.problems).toEqual([]);
	});

	it("the agent opens a file from the transcript once the chat has ended", async () => {
		const { phone, console_, watches } = await chat();
		await phone.locator('input[type="file"]').setInputFiles({ name: "steps.pdf", mimeType: "application/pdf", buffer: PDF });
		await console_.getByRole("button", { name: "Download steps.pdf" }).waitFor();
		await console_.getByRole("button", { name: "End chat" }).click();
		await console_.locator("dialog").getByRole("button", { name: "End chat" }).click();
		await console_.getByRole("button", { name: "View transcript" }).click();
		const button = console_.locator(".transcript").getByRole("button", { name: "Download steps.pdf" });
		await button.waitFor();
		const bytes = await downloaded(console_, () => button.click());
		expect(bytes.equals(PDF)).toBe(true);
		for (const watch of watches) expect(watch.problems).toEqual([]);
	});

	it("says why a file was refused, and posts nothing", async () => {
		const { phone, console_, watches } = await chat();
		await phone.locator('input[type="file"]').setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: Buffer.from("<!doctype html><script>alert(1)</script>") });
		await phone.getByText("The file was not sent: the file's content is not of the type its name says").waitFor();
		expect(await console_.locator(".msg-file").count()).toBe(0);
		// The browser notes the refused part in its console; that refusal is what this test is about.
		const [customerWatch, agentWatch] = watches;
		expect(customerWatch?.problems.filter((p) => !/status of 415 .*\/parts\/1\)$/.test(p))).toEqual([]);
		expect(agentWatch?.problems).toEqual([]);
	});

	it("a cancel mid-upload leaves nothing in the chat", async () => {
		const { phone, console_, watches } = await chat();
		const second = await holdPart(phone, 2);
		const cancelled = phone.waitForRequest((request) => request.method() === "DELETE" && /\/files\/[^/]+$/.test(request.url()));
		await phone.locator('input[type="file"]').setInputFiles({ name: "big.png", mimeType: "image/png", buffer: png(5 * MiB + 100_000) });
		await second.held;
		await phone.getByRole("button", { name: "Cancel" }).click();
		const deleted = await (await cancelled).response();
		expect(deleted?.status()).toBe(204);
		await phone.locator(".upload").waitFor({ state: "hidden" });
		// A message after it arrives; the file never does.
		await phone.getByLabel("Message", { exact: true }).fill("never mind");
		await phone.getByLabel("Message", { exact: true }).press("Enter");
		await console_.locator(".msg-text", { hasText: "never mind" }).waitFor();
		expect(await console_.locator(".msg-file").count()).toBe(0);
		expect(await phone.locator(".msg-file").count()).toBe(0);
		expect(await phone.locator(".composer-notice").textContent()).toBe("");
		for (const watch of watches) expect(watch.problems).toEqual([]);
	});
});
