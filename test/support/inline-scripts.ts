/**
 * The bytes of each script written into a page rather than fetched (the join page carries its own,
 * scripts/build-client.mjs): what a first load of it costs beside its script responses. Used by the
 * page-size budget (test/node/e2e/chat.test.ts) and W7 (bench/workloads/phone.ts).
 */
import type { Page } from "playwright-core";

export function inlineScriptBytes(page: Page): Promise<number[]> {
	return page.evaluate(() => [...document.scripts].filter((script) => !script.src).map((script) => new TextEncoder().encode(script.textContent ?? "").byteLength));
}
