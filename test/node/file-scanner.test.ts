/** The scanning hook, with a real HTTP server on loopback playing the scanner, against `wrangler dev`. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionClient } from "../../src/client/session-client";
import { uploadFile } from "../../src/client/file-upload";
import type { Joined, StartedSession } from "../../src/shared/api";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";
import type { FakeScanner } from "../support/fake-scanner";
import { startFakeScanner } from "../support/fake-scanner";
import { apiCall } from "../support/http";
import { watch } from "../support/watch-client";

let server: DevServer;
let scanner: FakeScanner;

beforeAll(async () => {
	scanner = await startFakeScanner();
	server = await startDevServer({ vars: { FILE_SCANNER_URL: scanner.url, FILE_SCAN_TIMEOUT_SECONDS: "2", FILE_SCAN_TIMEOUT_RULE: "block" } });
});
afterAll(async () => {
	await server?.stop();
	await scanner?.close();
});

async function chat() {
	const created = await apiCall<{ caseId: string }>(server.url, "/api/cases", { body: { subject: "Scan me", customer: { name: "Dana" } }, agent: true });
	const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { body: {}, agent: true });
	const customer = await apiCall<Joined>(server.url, "/api/join", { body: { supportKey: started.supportKey } });
	const agent = await apiCall<Joined>(server.url, `/api/sessions/${started.sessionId}/agent`, { body: {}, agent: true });
	const client = new SessionClient({ baseUrl: server.url, joined: agent });
	const { events, until } = watch(client);
	client.connect();
	return { customer, agent, events, until, close: () => client.close() };
}

function send(customer: Joined, text: string) {
	const file = new Blob([text], { type: "text/plain" });
	return uploadFile({ baseUrl: server.url, sessionId: customer.sessionId, token: customer.token, file, name: "notes.txt", clientId: `c-${text.length}-${Date.now()}` });
}

function download(joined: Joined, fileId: string): Promise<Response> {
	return fetch(`${server.url}/api/sessions/${joined.sessionId}/files/${fileId}`, { headers: { Authorization: `Bearer ${joined.token}` } });
}

describe("the scanning hook", () => {
	it("holds a file as checking until the scanner says clean, then releases it", async () => {
		const { customer, agent, events, until, close } = await chat();
		const upload = await send(customer, "all fine here");
		await until(() => events.some((e) => e.type === "file_released" && e.fileId === upload.fileId), "the release");
		expect(events.find((e) => e.type === "file")).toMatchObject({ fileId: upload.fileId, checking: true });
		expect(events.find((e) => e.type === "file_released")).toMatchObject({ fileId: upload.fileId, scanned: true });
		expect(scanner.received.find((r) => r.fileId === upload.fileId)?.bytes.toString()).toBe("all fine here");
		const response = await download(agent, upload.fileId);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe("all fine here");
		close();
	});

	it("deletes an infected file and says it was blocked", async () => {
		const { customer, agent, events, until, close } = await chat();
		const upload = await send(customer, "X5O!P%@AP EICAR test");
		await until(() => events.some((e) => e.type === "file_blocked"), "the block");
		expect(events.find((e) => e.type === "file_blocked")).toMatchObject({ fileId: upload.fileId, reason: "infected", actor: null });
		expect((await download(agent, upload.fileId)).status).toBe(410);
		close();
	});

	it("blocks a file the scanner does not answer for in time, as configured", async () => {
		const { customer, agent, events, until, close } = await chat();
		const upload = await send(customer, "NO-ANSWER please");
		// While the scanner thinks, nobody may open it.
		expect((await download(agent, upload.fileId)).status).toBe(409);
		await until(() => events.some((e) => e.type === "file_blocked"), "the block");
		expect(events.find((e) => e.type === "file_blocked")).toMatchObject({ fileId: upload.fileId, reason: "not_scanned" });
		expect((await download(agent, upload.fileId)).status).toBe(410);
		close();
	});
});

