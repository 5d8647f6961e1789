/**
 * The website widget's budget: the script every page of a customer's site loads stays under
 * 15 KB, imports nothing, and names no chat code; the chat itself loads only when opened.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const WIDGET = "public/build/widget.js";

beforeAll(() => {
	// The bundles as the repo builds them (wrangler.toml's [build] command).
	execFileSync("node", ["scripts/build-client.mjs"], { stdio: "ignore" });
});

describe("the widget script", () => {
	it("is at most 15 KB and stands alone", () => {
		const bytes = statSync(WIDGET).size;
		expect(bytes).toBeLessThanOrEqual(15 * 1024);
		const code = readFileSync(WIDGET, "utf8");
		expect(gzipSync(code).byteLength).toBeLessThan(bytes);
		// No import of a chunk: the chat's code (the session client, zod, the texts) is not in it.
		expect(code).not.toMatch(/\bimport\b/);
		expect(code).not.toContain("WebSocket");
	});
});
