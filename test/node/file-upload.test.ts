/**
 * The upload client against `wrangler dev`: a file of several parts goes up with the first part
 * alone and the others two at a time, and a part that loses its connection costs a retry of that
 * upload, not the file: it ends stored once, byte for byte, and posted once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionClient } from "../../src/client/session-client";
import type { PartSender } from "../../src/client/file-upload";
import { uploadFile } from "../../src/client/file-upload";
import type { Joined, StartedSession } from "../../src/shared/api";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";
import { apiCall } from "../support/http";
import { watch } from "../support/watch-client";

let server: DevServer;

beforeAll(async () => {
	server = await startDevServer();
});
afterAll(async () => {
	await server?.stop();
});

/** 12 MiB of a PDF: three parts of up to 5 MiB. */
function pdf(): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(12 * 1024 * 1024);
	for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) % 251;
	bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
	return bytes;
}

describe("the upload client", () => {
	it("sends the first part alone, then the others together, and gets past a dropped part", async () => {
		const created = await apiCall<{ caseId: string }>(server.url, "/api/cases", { body: { subject: "A big file", customer: { name: "Dana" } }, agent: true });
		const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { body: {}, agent: true });
		const customer = await apiCall<Joined>(server.url, "/api/join", { body: { supportKey: started.supportKey } });
		const agent = await apiCall<Joined>(server.url, `/api/sessions/${started.sessionId}/agent`, { body: {}, agent: true });
		const watcher = new SessionClient({ baseUrl: server.url, joined: agent });
		const { events, until } = watch(watcher);
		watcher.connect();

		const bytes = pdf();
		const tries: number[] = [];
		let inFlight = 0;
		let mostInFlight = 0;
		let partOneSending = false;
		let startedBesidePartOne = false;
		let dropped = false;
		const sendPart: PartSender = async ({ url, token, body, signal, onProgress }) => {
			const part = Number(url.split("/").pop());
			tries.push(part);
			if (part === 1) partOneSending = true;
			else if (partOneSending) startedBesidePartOne = true;
			inFlight += 1;
			mostInFlight = Math.max(mostInFlight, inFlight);
			try {
				// The connection drops once, halfway through part 2.
				if (part === 2 && !dropped) {
					dropped = true;
					throw new TypeError("network connection lost");
				}
				const response = await fetch(url, { method: "PUT", body, signal, headers: { Authorization: `Bearer ${token}` } });
				onProgress(body.size);
				return { status: response.status, text: await response.text() };
			} finally {
				inFlight -= 1;
				if (part === 1) partOneSending = false;
			}
		};
		const progress: number[] = [];
		const upload = await uploadFile({ baseUrl: server.url, sessionId: customer.sessionId, token: customer.token, file: new Blob([bytes], { type: "application/pdf" }), name: "manual.pdf", clientId: "big-file-1", sendPart, retryMs: 50, onProgress: (f) => progress.push(f) });

		// Part 1 alone first; then 2 and 3 side by side, 2 dropped and sent again.
		expect(tries[0]).toBe(1);
		expect(startedBesidePartOne).toBe(false);
		expect(mostInFlight).toBe(2);
		expect(tries.filter((p) => p === 1)).toHaveLength(1);
		expect(tries.filter((p) => p === 2)).toHaveLength(2);
		expect(progress.at(-1)).toBe(1);
		await until(() => events.some((e) => e.type === "file" && e.fileId === upload.fileId), "the file in the chat");
		expect(events.filter((e) => e.type === "file")).toHaveLength(1);
		const response = await fetch(`${server.url}/api/sessions/${agent.sessionId}/files/${upload.fileId}`, { headers: { Authorization: `Bearer ${agent.token}` } });
		expect(response.status).toBe(200);
		expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
		watcher.close();
	});
});
