import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Joined } from "../../src/shared/api";
import type { Upload } from "../../src/shared/files";
import type { ChatSession } from "../../src/session/chat-session";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, outboxOf, sessionStub, timePasses, withPorts } from "./helpers";
import { PDF, PNG, as, complete, download, filesPath, json, sendFile, sendPart, startUpload, storedKeys } from "./file-helpers";

/** The R2 multipart upload the session keeps for a file. */
async function multipartOf(sessionId: string, fileId: string): Promise<R2MultipartUpload> {
	const row = await runInDurableObject(sessionStub(sessionId), (_i: ChatSession, state) =>
		state.storage.sql.exec<{ key: string; id: string | null }>("SELECT r2_key AS key, multipart_id AS id FROM uploads WHERE file_id = ?", fileId).one(),
	);
	if (!row.id) throw new Error("no multipart upload was started");
	return env.ARCHIVE.resumeMultipartUpload(row.key, row.id);
}

/** Waits for the clean-ups the session's outbox has under way: its alarm returns once they are done. */
async function removalsDone(sessionId: string): Promise<void> {
	await runDurableObjectAlarm(sessionStub(sessionId));
}

/** The files the chat holds, as a participant connecting now replays them. */
async function filesPosted(joined: Joined): Promise<string[]> {
	const watcher = await TestClient.connect(joined);
	const { state } = await watcher.frameOf("state");
	await watcher.until(() => (watcher.events.at(-1)?.seq ?? 0) >= state.lastSeq, "the whole replay");
	const files = watcher.events.flatMap((e) => (e.type === "file" ? [e.fileId] : []));
	watcher.close();
	return files;
}

async function chat() {
	const started = await newSession();
	const customer = await joinAsCustomer(started);
	const agent = await joinAsAgent(started.sessionId);
	return { started, customer, agent };
}

describe("sending a file", () => {
	it("posts the customer's image once it is complete, and the agent downloads it byte for byte", async () => {
		const { customer, agent } = await chat();
		const watcher = await TestClient.connect(agent);
		const upload = await sendFile(customer, "screen shot.png", PNG, "image/png");
		expect(upload.seq).not.toBeNull();
		const event = await watcher.until(() => watcher.events.find((e) => e.type === "file"), "the file event");
		expect(event).toMatchObject({
			actor: { id: "customer" },
			fileId: upload.fileId,
			name: "screen shot.png",
			size: PNG.byteLength,
			contentType: "image/png",
			key: `attachments/${customer.caseId}/${customer.sessionId}/${upload.fileId}`,
			preview: true,
			checking: false,
		});

		const { response, bytes } = await download(filesPath(customer, `/${upload.fileId}`));
		expect(response.status).toBe(200);
		expect(bytes).toEqual(PNG);
		expect(response.headers.get("Content-Type")).toBe("image/png");
		expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
		expect(response.headers.get("Content-Security-Policy")).toBe("sandbox");
		expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="screen shot.png"; filename*=UTF-8''screen%20shot.png`);
		watcher.close();
	});

	it("lets the agent send a PDF that the customer downloads", async () => {
		const { customer, agent } = await chat();
		const upload = await sendFile(agent, "Anleitung für Drucker.pdf", PDF, "application/pdf");
		const { response, bytes } = await download(filesPath(customer, `/${upload.fileId}`), as(customer));
		expect(response.status).toBe(200);
		expect(bytes).toEqual(PDF);
		expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="Anleitung f_r Drucker.pdf"; filename*=UTF-8''Anleitung%20f%C3%BCr%20Drucker.pdf`);
	});

	it("keeps the user's file name out of the R2 key", async () => {
		const { customer } = await chat();
		const upload = await sendFile(customer, "../../etc/passwd.txt", new TextEncoder().encode("root:x:0:0\n"));
		expect(await storedKeys(customer)).toEqual([`attachments/${customer.caseId}/${customer.sessionId}/${upload.fileId}`]);
	});

	it("shows an image inline only when asked for a preview, and never a PDF", async () => {
		const { customer } = await chat();
		const image = await sendFile(customer, "a.png", PNG);
		const pdf = await sendFile(customer, "b.pdf", PDF);
		expect((await api(filesPath(customer, `/${image.fileId}?inline=1`))).headers.get("Content-Disposition")).toMatch(/^inline;/);
		expect((await api(filesPath(customer, `/${pdf.fileId}?inline=1`))).headers.get("Content-Disposition")).toMatch(/^attachment;/);
	});

	it("is in the transcript with its name, size, type, key, sender and time", async () => {
		const { customer, started } = await chat();
		const upload = await sendFile(customer, "log.txt", new TextEncoder().encode("line 1\nline 2\n"), "text/plain");
		expect((await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" })).status).toBe(200);
		const transcript = await json<{ events: { type: string }[] }>(await api(`/api/sessions/${started.sessionId}/transcript`), 200);
		expect(transcript.events.find((e) => e.type === "file")).toMatchObject({
			fileId: upload.fileId,
			name: "log.txt",
			size: 14,
			contentType: "text/plain",
			key: `attachments/${started.caseId}/${started.sessionId}/${upload.fileId}`,
			actor: { id: "customer" },
			at: expect.any(Number),
		});
		// Agents can still open it from the transcript once the chat is over.
		expect((await api(filesPath(customer, `/${upload.fileId}`))).status).toBe(200);
	});
});

describe("the parts of a large file", () => {
	const SIZE = 5 * 1024 * 1024 + 1000;
	const big = () => {
		const bytes = new Uint8Array(SIZE);
		bytes.set(PDF);
		for (let i = PDF.byteLength; i < SIZE; i++) bytes[i] = i % 253;
		return bytes;
	};

	it("resume after a drop: starting again with the same client id says which parts are stored", async () => {
		const { customer } = await chat();
		const bytes = big();
		const first = await json<Upload>(await startUpload(customer, { clientId: "big-1", name: "manual.pdf", size: SIZE }), 201);
		expect(first).toMatchObject({ parts: 2, partsDone: [], seq: null });
		await json<Upload>(await sendPart(customer, first.fileId, 1, bytes.subarray(0, first.partBytes)), 200);
		// The connection died here. The page starts the same file again and learns where to go on.
		const resumed = await json<Upload>(await startUpload(customer, { clientId: "big-1", name: "manual.pdf", size: SIZE }), 200);
		expect(resumed).toMatchObject({ fileId: first.fileId, partsDone: [1] });
		await json<Upload>(await sendPart(customer, first.fileId, 2, bytes.subarray(first.partBytes)), 200);
		await json<Upload>(await complete(customer, first.fileId), 200);
		const { bytes: back } = await download(filesPath(customer, `/${first.fileId}`));
		expect(back.byteLength).toBe(SIZE);
		expect(back).toEqual(bytes);
	});

	it("a part or a completion sent twice is stored and posted once", async () => {
		const { customer, agent } = await chat();
		const bytes = big();
		const upload = await json<Upload>(await startUpload(customer, { clientId: "big-2", name: "manual.pdf", size: SIZE }), 201);
		await json<Upload>(await sendPart(customer, upload.fileId, 1, bytes.subarray(0, upload.partBytes)), 200);
		await json<Upload>(await sendPart(customer, upload.fileId, 2, bytes.subarray(upload.partBytes)), 200);
		await json<Upload>(await sendPart(customer, upload.fileId, 2, bytes.subarray(upload.partBytes)), 200);
		const [a, b] = await Promise.all([complete(customer, upload.fileId), complete(customer, upload.fileId)]);
		const done = [await json<Upload>(a!, 200), await json<Upload>(b!, 200)];
		expect(done[0]!.seq).toBe(done[1]!.seq);
		// A part resent after the file is complete changes nothing either.
		expect((await json<Upload>(await sendPart(customer, upload.fileId, 2, bytes.subarray(upload.partBytes)), 200)).seq).toBe(done[0]!.seq);
		expect(await filesPosted(agent)).toEqual([upload.fileId]);
		const { bytes: back } = await download(filesPath(customer, `/${upload.fileId}`));
		expect(back).toEqual(bytes);
	});

	it("refuses a part whose length is not the part's", async () => {
		const { customer } = await chat();
		const upload = await json<Upload>(await startUpload(customer, { clientId: "big-3", name: "manual.pdf", size: SIZE }), 201);
		const response = await sendPart(customer, upload.fileId, 2, big().subarray(0, 10));
		expect(response.status).toBe(400);
		expect((await complete(customer, upload.fileId)).status).toBe(409);
	});
});

describe("what may not be sent", () => {
	it("refuses a .png that is really HTML, and stores and posts nothing", async () => {
		const { customer, agent } = await chat();
		const html = new TextEncoder().encode("<!doctype html><script>alert(document.cookie)</script>");
		const upload = await json<Upload>(await startUpload(customer, { clientId: "fake", name: "cat.png", size: html.byteLength, type: "image/png" }), 201);
		const response = await sendPart(customer, upload.fileId, 1, html);
		expect(response.status).toBe(415);
		expect(await response.json()).toEqual({ error: "the file's content is not of the type its name says" });
		expect(await storedKeys(customer)).toEqual([]);
		expect((await complete(customer, upload.fileId)).status).toBe(410);
		expect(await filesPosted(agent)).toEqual([]);
	});

	it("refuses a file over the limit with 413", async () => {
		const { customer } = await chat();
		const response = await startUpload(customer, { clientId: "huge", name: "dump.zip", size: 25 * 1024 * 1024 + 1 });
		expect(response.status).toBe(413);
		expect(await response.json()).toEqual({ error: "files are limited to 25 MB" });
	});

	it("refuses more than the session's total with 413, counting uploads under way", async () => {
		const { customer } = await chat();
		await json<Upload>(await startUpload(customer, { clientId: "one", name: "one.zip", size: 20 * 1024 * 1024 }), 201);
		const response = await startUpload(customer, { clientId: "two", name: "two.zip", size: 15 * 1024 * 1024 });
		expect(response.status).toBe(413);
		expect(await response.json()).toEqual({ error: "this chat's files are limited to 30 MB in all" });
	});

	it("refuses a type that is not allowed, or a declared type that disagrees with the name, with 415", async () => {
		const { customer } = await chat();
		const exe = await startUpload(customer, { clientId: "exe", name: "setup.exe", size: 100, type: "application/x-msdownload" });
		expect(exe.status).toBe(415);
		expect((await exe.json<{ error: string }>()).error).toMatch(/^this type of file cannot be sent here; allowed are \.png /);
		expect((await startUpload(customer, { clientId: "svg", name: "logo.png", size: 100, type: "image/svg+xml" })).status).toBe(415);
	});

	it("refuses text that is not text", async () => {
		const { customer } = await chat();
		const binary = Uint8Array.of(0x41, 0x00, 0x42, 0xff);
		const upload = await json<Upload>(await startUpload(customer, { clientId: "bin", name: "notes.txt", size: binary.byteLength }), 201);
		expect((await sendPart(customer, upload.fileId, 1, binary)).status).toBe(415);
	});
});

describe("who may send and open files", () => {
	it("answers 404 to a participant of another session", async () => {
		const { customer } = await chat();
		const other = await chat();
		const upload = await sendFile(customer, "a.png", PNG);
		const response = await api(`/api/sessions/${customer.sessionId}/files/${upload.fileId}`, as(other.customer));
		expect(response.status).toBe(404);
		const start = await api(`/api/sessions/${customer.sessionId}/files`, { method: "POST", body: JSON.stringify({ clientId: "x", name: "a.png", size: 10 }), ...as(other.customer) });
		expect(start.status).toBe(404);
	});

	it("refuses a customer who left the chat, both ways", async () => {
		const { customer } = await chat();
		const upload = await sendFile(customer, "a.png", PNG);
		const socket = await TestClient.connect(customer);
		await socket.frameOf("state");
		socket.send({ type: "leave" });
		await socket.untilClosed();
		expect((await api(filesPath(customer, `/${upload.fileId}`), as(customer))).status).toBe(403);
		expect((await startUpload(customer, { clientId: "after", name: "b.png", size: PNG.byteLength })).status).toBe(403);
	});

	it("answers 401 without a token", async () => {
		const { customer } = await chat();
		const upload = await sendFile(customer, "a.png", PNG);
		expect((await api(filesPath(customer, `/${upload.fileId}`), { agent: false })).status).toBe(401);
	});
});

describe("download tickets", () => {
	it("let an <img> open the file for a minute without a header, and only that file", async () => {
		const { customer } = await chat();
		const image = await sendFile(customer, "a.png", PNG);
		const other = await sendFile(customer, "b.png", PNG, "", "second");
		const ticket = await json<{ url: string; expiresAt: number }>(await api(filesPath(customer, `/${image.fileId}/ticket`), { method: "POST", ...as(customer) }), 200);
		expect(ticket.expiresAt - Date.now()).toBeLessThanOrEqual(60_000);
		const { response, bytes } = await download(`${ticket.url}&inline=1`, { agent: false });
		expect(response.status).toBe(200);
		expect(bytes).toEqual(PNG);
		const elsewhere = ticket.url.replace(image.fileId, other.fileId);
		expect((await api(elsewhere, { agent: false })).status).toBe(401);
	});

	it("cannot pass for a participant token", async () => {
		const { customer } = await chat();
		const image = await sendFile(customer, "a.png", PNG);
		const { url } = await json<{ url: string }>(await api(filesPath(customer, `/${image.fileId}/ticket`), { method: "POST", ...as(customer) }), 200);
		const ticket = new URL(url, "http://x").searchParams.get("ticket") ?? "";
		const response = await api(filesPath(customer), { method: "POST", body: JSON.stringify({ clientId: "t", name: "c.png", size: 10 }), agent: false, headers: { Authorization: `Bearer ${ticket}` } });
		expect(response.status).toBe(401);
	});
});

describe("cancelling", () => {
	it("leaves nothing stored and nothing in the chat", async () => {
		const { customer, agent } = await chat();
		const bytes = new Uint8Array(5 * 1024 * 1024 + 10);
		bytes.set(PDF);
		const upload = await json<Upload>(await startUpload(customer, { clientId: "c", name: "m.pdf", size: bytes.byteLength }), 201);
		await json<Upload>(await sendPart(customer, upload.fileId, 1, bytes.subarray(0, upload.partBytes)), 200);
		const multipart = await multipartOf(customer.sessionId, upload.fileId);
		expect((await api(filesPath(customer, `/${upload.fileId}`), { method: "DELETE", ...as(customer) })).status).toBe(204);
		expect((await complete(customer, upload.fileId)).status).toBe(410);
		await removalsDone(customer.sessionId);
		await expect(multipart.uploadPart(2, new Uint8Array(10))).rejects.toThrow();
		expect(await storedKeys(customer)).toEqual([]);
		expect(await filesPosted(agent)).toEqual([]);
	});
});

describe("an upload given up on", () => {
	/** The grace period (FILE_ABANDON_SECONDS, an hour) runs out on the session's clock. */
	async function graceRunsOut(sessionId: string): Promise<void> {
		await timePasses(sessionId, 61 * 60_000);
	}

	it("is aborted by the alarm: its parts and its object go, and nothing is posted", async () => {
		const { customer, agent } = await chat();
		const bytes = new Uint8Array(5 * 1024 * 1024 + 10);
		bytes.set(PDF);
		const large = await json<Upload>(await startUpload(customer, { clientId: "large", name: "m.pdf", size: bytes.byteLength }), 201);
		await json<Upload>(await sendPart(customer, large.fileId, 1, bytes.subarray(0, large.partBytes)), 200);
		const small = await json<Upload>(await startUpload(customer, { clientId: "small", name: "a.png", size: PNG.byteLength }), 201);
		await json<Upload>(await sendPart(customer, small.fileId, 1, PNG), 200);
		expect(await storedKeys(customer)).toHaveLength(1);

		const multipart = await multipartOf(customer.sessionId, large.fileId);
		await graceRunsOut(customer.sessionId);
		expect(await runDurableObjectAlarm(sessionStub(customer.sessionId))).toBe(true);

		expect(await storedKeys(customer)).toEqual([]);
		await expect(multipart.uploadPart(2, new Uint8Array(10))).rejects.toThrow();
		expect((await complete(customer, large.fileId)).status).toBe(410);
		expect((await complete(customer, small.fileId)).status).toBe(410);
		expect(await filesPosted(agent)).toEqual([]);
	});

	it("is not touched while its parts keep coming", async () => {
		const { customer } = await chat();
		const small = await json<Upload>(await startUpload(customer, { clientId: "small", name: "a.png", size: PNG.byteLength }), 201);
		await json<Upload>(await sendPart(customer, small.fileId, 1, PNG), 200);
		await runDurableObjectAlarm(sessionStub(customer.sessionId));
		expect(await storedKeys(customer)).toHaveLength(1);
		expect((await complete(customer, small.fileId)).status).toBe(200);
	});
});

describe("a cancel that crosses a part on its way", () => {
	it("removes what the part stored after the cancel", async () => {
		const { customer } = await chat();
		const upload = await json<Upload>(await startUpload(customer, { clientId: "crossing", name: "a.png", size: PNG.byteLength }), 201);
		const stub = sessionStub(customer.sessionId);
		// The part has been checked and is on its way to R2 when the cancel arrives.
		const target = await stub.filePartTarget({ id: "customer", role: "customer", name: "Dana", deviceId: null }, upload.fileId, 1);
		if ("refused" in target || "done" in target) throw new Error("no part to send");
		expect((await api(filesPath(customer, `/${upload.fileId}`), { method: "DELETE", ...as(customer) })).status).toBe(204);
		const stored = await env.ARCHIVE.put(target.key, PNG);
		if (!stored) throw new Error("R2 did not store the part");
		const answer = await stub.filePartStored({ id: "customer", role: "customer", name: "Dana", deviceId: null }, upload.fileId, 1, stored.etag);
		expect(answer).toEqual({ refused: 410, error: "this upload was cancelled" });
		await removalsDone(customer.sessionId);
		expect(await storedKeys(customer)).toEqual([]);
	});
});

describe("removing a file through the outbox", () => {
	it("is tried again until R2 takes it", async () => {
		const { customer } = await chat();
		const upload = await json<Upload>(await startUpload(customer, { clientId: "retry", name: "a.png", size: PNG.byteLength }), 201);
		await json<Upload>(await sendPart(customer, upload.fileId, 1, PNG), 200);
		let refusals = 1;
		await withPorts(customer.sessionId, (ports) => {
			const real = ports.removeFile;
			return {
				removeFile: async (key, multipartId) => {
					if (refusals-- > 0) throw new Error("R2 is down");
					return real(key, multipartId);
				},
			};
		});
		expect((await api(filesPath(customer, `/${upload.fileId}`), { method: "DELETE", ...as(customer) })).status).toBe(204);
		await removalsDone(customer.sessionId);
		expect(await storedKeys(customer)).toHaveLength(1);
		const [row] = await outboxOf(customer.sessionId);
		expect(row).toMatchObject({ effect: "remove_file", attempts: 1 });
		await timePasses(customer.sessionId, row?.dueInMs ?? 0);
		await runDurableObjectAlarm(sessionStub(customer.sessionId));
		expect(await storedKeys(customer)).toEqual([]);
		expect(await outboxOf(customer.sessionId)).toEqual([]);
	});
});
