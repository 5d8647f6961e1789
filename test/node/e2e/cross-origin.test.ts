/**
 * A page from another loopback origin, in the browser where the agent is signed in, tries what a
 * hostile site would: open the queue and chat WebSockets, and change things with the agent's
 * cookie. It is served from 127.0.0.1 on another port, the same *site* as the chat, so the browser
 * does send the SameSite=Strict cookie: only the Origin checks stand in its way. Nothing gets
 * through, and the agent stays signed in.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseRecord, Joined, StartedSession } from "../../../src/shared/api";
import type { SessionState } from "../../../src/shared/protocol";
import { socketProtocols } from "../../../src/shared/socket-auth";
import type { DevServer } from "../../support/dev-server";
import { startDevServer } from "../../support/dev-server";
import { apiCall } from "../../support/http";
import { DESKTOP, launchBrowser } from "./browser";

let server: DevServer;
let browser: Browser;
let hostile: Server;
let hostileOrigin: string;

beforeAll(async () => {
	[server, browser] = await Promise.all([startDevServer(), launchBrowser()]);
	hostile = createServer((_request, response) => {
		response.setHeader("Content-Type", "text/html");
		response.end("<!doctype html><title>Win a prize</title><p>Nothing to see here.</p>");
	});
	await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
	const address = hostile.address();
	if (typeof address !== "object" || address === null) throw new Error("the hostile page is not served");
	hostileOrigin = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await new Promise((resolve) => hostile?.close(resolve));
});

/** Opens a WebSocket from the page; "open" if it got through, else how it ended. */
function trySocket(page: Page, url: string, protocols: string[]): Promise<string> {
	return page.evaluate(
		([target, offered]) =>
			new Promise<string>((resolve) => {
				const socket = new WebSocket(target, offered);
				socket.onopen = () => resolve("open");
				socket.onclose = (event) => resolve(`closed ${event.code}`);
			}),
		[url, protocols] as const,
	);
}

/**
 * Sends what a page may send without CORS's permission: the answer is opaque to the page, its
 * effect is not. The fetch itself then fails, as Cross-Origin-Resource-Policy makes it: the request
 * was sent all the same.
 */
function blindPost(page: Page, url: string, body: string | null, type: string | null): Promise<void> {
	return page.evaluate(
		async ([target, payload, contentType]) => {
			const headers: Record<string, string> = contentType === null ? {} : { "Content-Type": contentType };
			await fetch(target, { method: "POST", mode: "no-cors", credentials: "include", headers, body: payload }).catch(() => undefined);
		},
		[url, body, type] as const,
	);
}

describe("a page from another origin", () => {
	it("cannot open the chat or queue WebSocket, nor change anything with the signed-in agent's cookie", async () => {
		const created = await apiCall<CaseRecord>(server.url, "/api/cases", { agent: true, body: { subject: "Target" } });
		const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { agent: true, body: {} });
		const customer = await apiCall<Joined>(server.url, "/api/join", { body: { supportKey: started.supportKey } });
		const casesBefore = (await apiCall<{ cases: CaseRecord[] }>(server.url, "/api/cases", { agent: true })).cases.length;

		const context = await browser.newContext(DESKTOP);
		const consolePage = await context.newPage();
		await consolePage.goto(`${server.url}/`);
		await consolePage.getByLabel("Agent token", { exact: true }).fill("dev-agent-token");
		await consolePage.getByRole("button", { name: "Sign in" }).click();
		await consolePage.getByText("Signed in as").waitFor();

		const page = await context.newPage();
		await page.goto(`${hostileOrigin}/`);
		const ws = server.url.replace(/^http/, "ws");
		expect(await trySocket(page, `${ws}/api/queue/ws`, [])).not.toBe("open");
		// Even holding a genuine participant token, another origin's page cannot open the chat.
		expect(await trySocket(page, `${ws}${customer.webSocketPath}`, socketProtocols(customer.token))).not.toBe("open");

		const subject = JSON.stringify({ subject: "Planted by another site" });
		await blindPost(page, `${server.url}/api/cases`, subject, "text/plain");
		await blindPost(page, `${server.url}/api/cases`, "subject=Planted", "application/x-www-form-urlencoded");
		await blindPost(page, `${server.url}/api/sessions/${started.sessionId}/end`, null, null);
		await blindPost(page, `${server.url}/api/cases/${created.caseId}/resolve`, null, null);
		await blindPost(page, `${server.url}/api/auth/logout`, null, null);
		await blindPost(page, `${server.url}/api/auth/logout-everywhere`, null, null);

		// Each request reached the Worker and was refused there, not lost on the way. The log's lines
		// can reach us a moment after the answers, so each is waited for.
		const refused = () =>
			server
				.output()
				.split("\n")
				.filter((line) => line.startsWith("{"))
				.map((line) => JSON.parse(line) as { path?: string; status?: number })
				.map((entry) => `${entry.path} ${entry.status}`);
		for (const expected of [
			"/api/cases 415",
			`/api/sessions/${started.sessionId}/end 401`,
			`/api/cases/${created.caseId}/resolve 401`,
			"/api/auth/logout 403",
			"/api/auth/logout-everywhere 403",
			"/api/queue/ws 403",
			`${customer.webSocketPath} 403`,
		]) await expect.poll(refused).toContain(expected);

		const cases = (await apiCall<{ cases: CaseRecord[] }>(server.url, "/api/cases", { agent: true })).cases;
		expect(cases.length).toBe(casesBefore);
		expect(cases.find((c) => c.caseId === created.caseId)?.status).toBe("open");
		expect((await apiCall<SessionState>(server.url, `/api/sessions/${started.sessionId}`, { agent: true })).status).toBe("waiting");
		// Still signed in: the console's own origin reads its sign-in with the cookie.
		expect(await consolePage.evaluate(async () => (await fetch("/api/auth/me")).status)).toBe(200);
		await context.close();
	});
});
