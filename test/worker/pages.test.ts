import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "./helpers";

/** A script's Content-Security-Policy source: `'sha256-…'` of its text. */
async function sha256Source(script: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script)));
	return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

function get(path: string): Promise<Response> {
	return exports.default.fetch(new Request(`${ORIGIN}${path}`));
}

describe("the pages", () => {
	for (const [path, script] of [
		["/", "console"],
		["/console", "console"],
		["/join", "join"],
	] as const) {
		it(`${path} is the ${script} page with a strict policy: no inline script but those it names by hash`, async () => {
			const response = await get(path);
			expect(response.status).toBe(200);
			expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
			const policy = response.headers.get("Content-Security-Policy") ?? "";
			const directives = new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
			expect(directives.get("default-src")).toEqual(["'self'"]);
			// Cloudflare Turnstile's widget, on the join page only: its script and its challenge's frame.
			const turnstile = script === "join" ? ["https://challenges.cloudflare.com"] : [];
			const html = await response.text();
			// The join page starts an invite link's join inline (join.html): that script, by its hash, and no other.
			const inline = [...html.replace(/\r\n?/g, "\n").matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? "");
			expect(inline.length).toBe(script === "join" ? 1 : 0);
			expect(directives.get("script-src")).toEqual(["'self'", ...(await Promise.all(inline.map(sha256Source))), ...turnstile]);
			expect(directives.get("frame-src")).toEqual(script === "join" ? ["'self'", ...turnstile] : undefined);
			expect(directives.get("style-src")).toEqual(["'self'"]);
			// Built from the configuration (no PUBLIC_URL here), never from the request's Host.
			expect(directives.get("connect-src")).toEqual(["'self'"]);
			expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
			expect(policy).not.toContain("unsafe");
			expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
			expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");

			expect(html).toContain(`<script type="module" src="/build/${script}.js"></script>`);
			// Every other script tag loads a file.
			expect(html.match(/<script\b[^>]+>/g)?.every((tag) => /\ssrc="\/build\//.test(tag))).toBe(true);
			expect(html).not.toMatch(/\son[a-z]+=/i);
			expect(html).not.toMatch(/https?:\/\//);
		});
	}

	it("keeps the join page out of search engines", async () => {
		expect((await get("/join")).headers.get("X-Robots-Tag")).toContain("noindex");
	});
});
