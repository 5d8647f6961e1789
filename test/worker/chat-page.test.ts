/** The chat page the website widget frames: framed only by the configured sites, and nothing else of the pages is. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "./helpers";

function directives(response: Response): Map<string, string[]> {
	const policy = response.headers.get("Content-Security-Policy") ?? "";
	return new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? "", values]));
}

describe("the chat page", () => {
	it("may be framed by this deployment and the sites WIDGET_ORIGINS names, and loads Turnstile for its form", async () => {
		const response = await exports.default.fetch(new Request(`${ORIGIN}/chat?team=support`));
		expect(response.status).toBe(200);
		const policy = directives(response);
		// No WIDGET_ORIGINS in the tests' configuration: only the deployment itself.
		expect(policy.get("frame-ancestors")).toEqual(["'self'"]);
		expect(policy.get("script-src")).toEqual(["'self'", "https://challenges.cloudflare.com"]);
		// X-Frame-Options cannot name sites; it would refuse every frame.
		expect(response.headers.get("X-Frame-Options")).toBeNull();
		const html = await response.text();
		expect(html).toContain('<script type="module" src="/build/chat.js"></script>');
	});

	it("leaves the console and the join page unframeable", async () => {
		for (const path of ["/console", "/join"]) {
			const response = await exports.default.fetch(new Request(`${ORIGIN}${path}`));
			expect(directives(response).get("frame-ancestors")).toEqual(["'none'"]);
			expect(response.headers.get("X-Frame-Options")).toBe("DENY");
		}
	});
});

describe("the API's description", () => {
	it("names the routes of customer-started chats and routing", async () => {
		const doc = await (await exports.default.fetch(new Request(`${ORIGIN}/api/openapi.json`))).json<{ paths: Record<string, unknown> }>();
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining(["/api/chats", "/api/messages", "/api/teams/{team}", "/api/chats/{sessionId}/place", "/api/routing/me", "/api/routing/ws", "/api/routing/offers/{sessionId}/accept"]),
		);
	});
});
