/**
 * W7, the customer on a phone: Chromium (playwright-core, /usr/bin/chromium) at 390 px with its
 * CPU throttled 4× and the network of a slow phone (DevTools protocol: Emulation.setCPUThrottlingRate,
 * Network.emulateNetworkConditions; the profiles below), against the bench's chat server, which
 * serves the pages as `wrangler dev` does (Miniflare with the project's [assets]).
 * Per load: an agent has opened the chat and written HISTORY messages; the customer opens the
 * invite link; timed from the start of that navigation to the history's last message painted and
 * the socket's state frame arrived, whichever is later. Then the agent (Node, over loopback) sends
 * MESSAGES messages one at a time: each one's time from the send to its frame's arrival at the
 * phone (handed to the page after the network's delay, bench/phone-relay.ts) and to the frame
 * that paints it (bench/workloads/phone-marks.ts), both in Node's clock. The JavaScript the page
 * loaded is summed over its script responses and the scripts inline in the page.
 */
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { JoinedSchema } from "../../src/shared/api";
import { inlineScriptBytes } from "../../test/support/inline-scripts";
import { BenchSocket } from "../client";
import type { PhoneRelay } from "../phone-relay";
import { nodeNow, startPhoneRelay } from "../phone-relay";
import type { Summary } from "../stats";
import { summarize } from "../stats";
import { DEV_AGENT, chatApi } from "../targets/chat-api";
import type { Target } from "../targets/target";
import type { PhoneMarks } from "./phone-marks";
import { PHONE_MARKS_SCRIPT, consoleMarks } from "./phone-marks";

/** Network.emulateNetworkConditions: latency added to each request, in ms; throughputs in bytes/s. */
export interface NetworkProfile {
	name: string;
	latency: number;
	downloadThroughput: number;
	uploadThroughput: number;
}

/**
 * Chrome DevTools' own presets (its "Slow 4G", once "Fast 3G", and "Fast 4G"): the latency and
 * throughputs DevTools applies, which already include its factors for real-world conditions.
 */
export const SLOW_4G: NetworkProfile = { name: "Slow 4G", latency: 150 * 3.75, downloadThroughput: (1.6 * 1e6 * 0.9) / 8, uploadThroughput: (750 * 1e3 * 0.9) / 8 };
export const FAST_4G: NetworkProfile = { name: "Fast 4G", latency: 60 * 2.75, downloadThroughput: (9 * 1e6 * 0.9) / 8, uploadThroughput: (1.5 * 1e6 * 0.9) / 8 };

export interface PhoneOptions {
	profiles: NetworkProfile[];
	loads: number;
	cpuSlowdown: number;
	history: number;
	messages: number;
}

export const W7: PhoneOptions = { profiles: [SLOW_4G, FAST_4G], loads: 3, cpuSlowdown: 4, history: 10, messages: 5 };
export const W7_SMOKE: PhoneOptions = { profiles: [SLOW_4G], loads: 1, cpuSlowdown: 4, history: 10, messages: 3 };

export interface PhoneProfileResult {
	profile: NetworkProfile;
	/** Navigation start → history painted and socket live, per load, ms. */
	toLiveMs: number[];
	/** Of which navigation start → the socket's state frame arrived, per load, ms. */
	toStateMs: number[];
	/** Script bytes each load fetched. */
	scriptBytes: number[];
	/** Send → frame arrived in the page, and send → painted, over every message of every load. */
	arrival: Summary;
	painted: Summary;
	/** Each message's send → arrival and send → painted, ms. */
	perMessage: Array<{ arrivalMs: number; paintedMs: number }>;
	/** painted / arrival, per message. */
	paintRatios: number[];
	/** The first load's requests (Resource Timing), in the order they started: what a live chat waits for. */
	waterfall: Array<{ name: string; startMs: number; endMs: number }>;
}

export interface PhoneResult {
	cpuSlowdown: number;
	profiles: PhoneProfileResult[];
}

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-US" };

async function load(browser: Browser, target: Target, profile: NetworkProfile, options: PhoneOptions, result: PhoneProfileResult): Promise<void> {
	const api = chatApi(target.url);
	const started = await api.newSession();
	const agent = await BenchSocket.open(api.socketOf(await api.post(`/api/sessions/${started.sessionId}/agent`, JoinedSchema, {}, { agentToken: DEV_AGENT.token })), 0);
	const context = await browser.newContext(PHONE);
	const relays: PhoneRelay[] = [];
	try {
		const history = Array.from({ length: options.history }, (_, i) => `Earlier message ${i + 1}: ${randomUUID()}`);
		for (const text of history) agent.say(randomUUID(), text);
		await agent.until(() => agent.lastSeq >= agent.headSeq + options.history, "the history");
		const page = await context.newPage();
		await page.addInitScript(PHONE_MARKS_SCRIPT);
		const cdp = await context.newCDPSession(page);
		await cdp.send("Emulation.setCPUThrottlingRate", { rate: options.cpuSlowdown });
		await cdp.send("Network.enable");
		await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: profile.latency, downloadThroughput: profile.downloadThroughput, uploadThroughput: profile.uploadThroughput });
		const relay = await startPhoneRelay(target.url, profile.latency);
		relays.push(relay);
		const { handed } = relay;
		const scripts: Promise<number>[] = [];
		page.on("response", (response) => {
			if (response.request().resourceType() === "script") scripts.push(response.body().then((body) => body.byteLength));
		});
		const marksWhen = consoleMarks(page);
		const last = history.at(-1) ?? "";
		const paintedAt = (marks: PhoneMarks, text: string) => marks.messages.find((e) => e.text.includes(text))?.paintedAt ?? null;
		const invite = new URL(started.inviteUrl);
		await page.goto(`${relay.origin}${invite.pathname}${invite.hash}`);
		const first = await marksWhen((m) => m.stateAt !== null && paintedAt(m, last) !== null);
		const stateAt = first.stateAt ?? Number.NaN;
		result.toLiveMs.push(Math.max(paintedAt(first, last) ?? Number.NaN, stateAt));
		result.toStateMs.push(stateAt);
		// Read once the chat is live: evaluating in the page runs a script of Playwright's (phone-marks.ts).
		result.scriptBytes.push([...(await Promise.all(scripts)), ...(await inlineScriptBytes(page))].reduce((a, b) => a + b, 0));
		if (result.waterfall.length === 0) {
			result.waterfall = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => ({ name: new URL(e.name).pathname, startMs: e.startTime, endMs: e.startTime + e.duration })));
		}

		for (let i = 0; i < options.messages; i++) {
			const text = `Agent's reply ${i + 1}: ${randomUUID()}`;
			const sentAt = nodeNow();
			agent.say(randomUUID(), text);
			const seen = await marksWhen((m) => paintedAt(m, text) !== null);
			const arrivedAt = handed.find((f) => f.data.includes(text))?.at ?? Number.NaN;
			const arrival = arrivedAt - sentAt;
			const paint = seen.timeOrigin + (paintedAt(seen, text) ?? Number.NaN) - sentAt;
			result.perMessage.push({ arrivalMs: arrival, paintedMs: paint });
			result.paintRatios.push(paint / arrival);
		}
	} finally {
		await context.close();
		await agent.close();
		await Promise.all(relays.map((relay) => relay.close()));
	}
}

export async function phone(target: Target, options: PhoneOptions): Promise<PhoneResult> {
	// As test/node/e2e/browser.ts launches it; that module registers vitest hooks, so it is not imported here.
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
	});
	try {
		const profiles: PhoneProfileResult[] = [];
		for (const profile of options.profiles) {
			const result: PhoneProfileResult = { profile, toLiveMs: [], toStateMs: [], scriptBytes: [], arrival: summarize([]), painted: summarize([]), perMessage: [], paintRatios: [], waterfall: [] };
			for (let i = 0; i < options.loads; i++) await load(browser, target, profile, options, result);
			result.arrival = summarize(result.perMessage.map((t) => t.arrivalMs));
			result.painted = summarize(result.perMessage.map((t) => t.paintedMs));
			profiles.push(result);
		}
		return { cpuSlowdown: options.cpuSlowdown, profiles };
	} finally {
		await browser.close();
	}
}
