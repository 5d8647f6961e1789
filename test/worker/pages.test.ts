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
			const html = (await response.text()).replace(/\r\n?/g, "\n");
			// The join page starts an invite link's join inline, and arrives whole (scripts/build-client.mjs):
			// that script, the page's module and its stylesheet, each by its hash, and no other.
			const inline = [...html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? "");
			const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1] ?? "");
			expect(inline.length).toBe(script === "join" ? 2 : 0);
			expect(styles.length).toBe(script === "join" ? 1 : 0);
			expect(directives.get("script-src")).toEqual(["'self'", ...(await Promise.all(inline.map(sha256Source))), ...turnstile]);
			expect(directives.get("frame-src")).toEqual(script === "join" ? ["'self'", ...turnstile] : undefined);
			expect(directives.get("style-src")).toEqual(["'self'", ...(await Promise.all(styles.map(sha256Source)))]);
			// Built from the configuration (no PUBLIC_URL here), never from the request's Host.
			expect(directives.get("connect-src")).toEqual(["'self'"]);
			expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
			expect(policy).not.toContain("unsafe");
			expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
			expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");

			// The markup around the inline code: the page's own script (or the module in the page), every
			// other script tag a file of the build's, no handler attributes, nothing from another site.
			const markup = html.replace(/<script(?: type="module")?>[\s\S]*?<\/script>/g, "").replace(/<style>[\s\S]*?<\/style>/g, "");
			if (script === "join") expect(markup).not.toMatch(/\/build\/join\.js|\/app\.css/);
			else expect(markup).toContain(`<script type="module" src="/build/${script}.js"></script>`);
			expect(markup.match(/<script\b[^>]+>/g)?.every((tag) => /\ssrc="\/build\//.test(tag)) ?? true).toBe(true);
			expect(markup).not.toMatch(/\son[a-z]+=/i);
			expect(markup).not.toMatch(/https?:\/\//);
		});
	}

	it("names in the join page's Link header only the texts of the language it will pick: its own script is in it", async () => {
		const link = (language: string) => exports.default.fetch(new Request(`${ORIGIN}/join`, { headers: { "Accept-Language": language } })).then((r) => r.headers.get("Link"));
		expect(await link("en-US,en;q=0.9")).toMatch(/^<\/build\/chunks\/en-[A-Z0-9]+\.js>; rel=modulepreload$/);
		expect(await link("ja-JP")).toMatch(/^<\/build\/chunks\/ja-[A-Z0-9]+\.js>; rel=modulepreload$/);
	});

	it("keeps the join page out of search engines", async () => {
		expect((await get("/join")).headers.get("X-Robots-Tag")).toContain("noindex");
	});
});
