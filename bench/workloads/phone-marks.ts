/**
 * What W7 records inside the phone's page, installed before any of the page's own scripts run
 * (Playwright's addInitScript, outside the page's Content-Security-Policy): the arrival of the
 * socket's first state frame (a listener added as the socket is made, so it runs before the
 * page's own) and, for every chat message added to the page (`.msg`), the time it was added and the time the
 * frame that paints it begins (its requestAnimationFrame callback). All in the page's performance.now(),
 * milliseconds from the start of the navigation.
 */
export interface PhoneMarks {
	/** When the first `state` frame arrived: the socket is live. */
	stateAt: number | null;
	messages: Array<{ text: string; addedAt: number; paintedAt: number | null }>;
}

declare global {
	interface Window {
		benchPhoneMarks?: PhoneMarks;
	}
}

/**
 * The script the page runs first. A string, not a function whose source Playwright would send:
 * tsx's transform adds helpers to functions (their names) that the page does not have.
 */
export const PHONE_MARKS_SCRIPT = `(() => {
	const marks = { stateAt: null, messages: [] };
	window.benchPhoneMarks = marks;
	const Native = window.WebSocket;
	window.WebSocket = class extends Native {
		constructor(url, protocols) {
			super(url, protocols);
			this.addEventListener("message", (event) => {
				const at = performance.now();
				if (marks.stateAt === null && typeof event.data === "string" && event.data.includes('"type":"state"')) marks.stateAt = at;
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
					});
				}
			}
		}
	}).observe(document, { childList: true, subtree: true });
})();`;
