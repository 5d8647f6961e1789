/**
 * What W7 records inside the phone's page, installed before any of the page's own scripts run
 * (Playwright's addInitScript, outside the page's Content-Security-Policy): the arrival of the
 * socket's first state frame (a listener added as the socket is made, so it runs before the
 * page's own) and, for every chat message added to the page (`.msg`), the time it was added and the time the
 * frame that paints it begins (its requestAnimationFrame callback). All in the page's performance.now(),
 * milliseconds from the start of the navigation. The marks are logged on the console after each
 * change, where Node reads them (consoleMarks).
 */
import type { Page } from "playwright-core";
import { Waiters } from "../../test/support/waiters";

export interface PhoneMarks {
	/** The page's performance.timeOrigin, to put its times in Node's epoch. */
	timeOrigin: number;
	/** When the first `state` frame arrived: the socket is live. */
	stateAt: number | null;
	messages: Array<{ text: string; addedAt: number; paintedAt: number | null }>;
}

/** What the marks are logged with on the page's console, after each change. */
export const MARKS_CONSOLE_TAG = "bench-phone-marks";

/**
 * The marks as the page last logged them, and a wait for them to pass a test. Read from the
 * console rather than by evaluating in the page: Playwright's waitForFunction first injects its
 * own script, which took the phone (4x slower CPU) 117 ms on its main thread in the middle of the
 * load it was timing (a trace, 2026-12-02).
 */
export function consoleMarks(page: Page): (test: (marks: PhoneMarks) => boolean, timeoutMs?: number) => Promise<PhoneMarks> {
	let latest: PhoneMarks | null = null;
	const waiters = new Waiters();
	page.on("console", (message) => {
		const text = message.text();
		if (!text.startsWith(`${MARKS_CONSOLE_TAG} `)) return;
		latest = JSON.parse(text.slice(MARKS_CONSOLE_TAG.length + 1)) as PhoneMarks;
		waiters.wake();
	});
	return (test, timeoutMs = 30_000) => waiters.until(() => (latest !== null && test(latest) ? latest : null), "the phone's marks", timeoutMs);
}

/**
 * The script the page runs first. A string, not a function whose source Playwright would send:
 * tsx's transform adds helpers to functions (their names) that the page does not have.
 */
export const PHONE_MARKS_SCRIPT = `(() => {
	const marks = { timeOrigin: performance.timeOrigin, stateAt: null, messages: [] };
	// Once a task at most, after the frame: the times are taken already, only Node's reading waits.
	let reporting = false;
	const report = () => {
		if (reporting) return;
		reporting = true;
		setTimeout(() => {
			reporting = false;
			console.debug(${JSON.stringify(MARKS_CONSOLE_TAG)}, JSON.stringify(marks));
		}, 0);
	};
	const Native = window.WebSocket;
	window.WebSocket = class extends Native {
		constructor(url, protocols) {
			super(url, protocols);
			this.addEventListener("message", (event) => {
				const at = performance.now();
				if (marks.stateAt === null && typeof event.data === "string" && event.data.includes('"type":"state"')) {
					marks.stateAt = at;
					report();
				}
			});
		}
	};
	const seen = new WeakSet();
	new MutationObserver((records) => {
		const addedAt = performance.now();
		for (const record of records) {
			for (const node of record.addedNodes) {
				if (!(node instanceof HTMLElement)) continue;
				const found = node.matches(".msg") ? [node] : [...node.querySelectorAll(".msg")];
				for (const message of found) {
					if (seen.has(message)) continue;
					seen.add(message);
					const entry = { text: message.textContent || "", addedAt, paintedAt: null };
					marks.messages.push(entry);
					// Inside the callback the frame that paints it has begun: its layout and paint follow at once.
					requestAnimationFrame(() => {
						entry.text = message.textContent || "";
						entry.paintedAt = performance.now();
						report();
					});
				}
			}
		}
	}).observe(document, { childList: true, subtree: true });
})();`;
