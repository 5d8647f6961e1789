import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "./helpers";

function get(path: string): Promise<Response> {
	return exports.default.fetch(new Request(`${ORIGIN}${path}`));
}

describe("the pages", () => {
	for (const [path, script] of [
		["/", "console"],
		["/console", "console"],
		["/join", "join"],
	] as const) {
		it(`${path} is the ${script} page with a strict policy and no inline script`, async () => {
			const response = await get(path);
			expect(response.status).toBe(200);
			expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
			const policy = response.headers.get("Content-Security-Policy") ?? "";
			const directives = new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
			expect(directives.get("default-src")).toEqual(["'self'"]);
			// Cloudflare Turnstile's widget, on the join page only: its script and its challenge's frame.
			const turnstile = script === "join" ? ["https://challenges.cloudflare.com"] : [];
			expect(directives.get("script-src")).toEqual(["'self'", ...turnstile]);
			expect(directives.get("frame-src")).toEqual(script === "join" ? ["'self'", ...turnstile] : undefined);
			expect(directives.get("style-src")).toEqual(["'self'"]);
			// Built from the configuration (no PUBLIC_URL here), never from the request's Host.
			expect(directives.get("connect-src")).toEqual(["'self'"]);
			expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
			expect(policy).not.toContain("unsafe");
			expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
			expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");

			const html = await response.text();
			expect(html).toContain(`<script type="module" src="/build/${script}.js"></script>`);
			// Every script tag loads a file: nothing inline for the policy to allow.
			expect(html.match(/<script\b[^>]*>/g)?.every((tag) => /\ssrc="\/build\//.test(tag))).toBe(true);
			expect(html).not.toMatch(/\son[a-z]+=/i);
			expect(html).not.toMatch(/https?:\/\//);
		});
	}

	it("keeps the join page out of search engines", async () => {
		expect((await get("/join")).headers.get("X-Robots-Tag")).toContain("noindex");
	});
});
