/**
 * What only a real HTTP server shows, against `wrangler dev`: the files served straight from the
 * assets (the Worker never sees them) are nosniff too, and methods that a `Request` cannot even
 * be built with in workerd, like TRACE, still get the API's JSON 405.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";

let server: DevServer;
beforeAll(async () => {
	server = await startDevServer();
});
afterAll(async () => {
	await server?.stop();
});

/** One raw request: fetch refuses to send TRACE at all. */
function raw(method: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
	return new Promise((resolve, reject) => {
		const sent = request(`${server.url}${path}`, { method }, (response) => {
			let body = "";
			response.on("data", (chunk: Buffer) => (body += chunk.toString()));
			response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
		});
		sent.on("error", reject);
		sent.end();
	});
}

describe("over plain HTTP", () => {
	it("sends the assets' scripts and styles with nosniff", async () => {
		for (const path of ["/build/chat.js", "/build/console.js", "/app.css"]) {
			const response = await fetch(`${server.url}${path}`);
			expect(response.status, path).toBe(200);
			expect(response.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
		}
	});

	it("answers TRACE on an API route with a JSON 405, not the runtime's plain text", async () => {
		const response = await raw("TRACE", "/api/cases");
		expect(response.status).toBe(405);
		expect(response.headers["content-type"]).toMatch(/^application\/json/);
		expect(JSON.parse(response.body)).toHaveProperty("error");
	});
});
