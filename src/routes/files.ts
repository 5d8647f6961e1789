/**
 * Files in a chat, both ways. An upload is started (the session checks the name, the declared
 * type and the limits, and gives the file its id), sent in parts streamed straight into R2, and
 * completed, which posts it in the chat once; a part or a completion sent again stores nothing
 * twice. The first part's leading bytes are checked before any of it is stored. The R2 calls that
 * move or assemble bytes are made here; the session decides and records. Downloads are served so
 * that no file can act as a page of ours (src/files/download-headers.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import { sessionOf } from "../bindings";
import { FileIdSchema, StartUploadSchema } from "../shared/files";
import type { Ticket } from "../shared/files";
import { contentMatches, HEAD_BYTES } from "../files/detect";
import { downloadHeaders } from "../files/download-headers";
import { peek } from "../files/peek";
import { isRefusal } from "../files/contract";
import { fileTypeOf } from "../files/file-types";
import { TICKET_TTL_MS, signTicket } from "../files/ticket";
import type { AppEnv } from "./context";
import { fileActor, refused } from "./file-actor";
import { refuseForeignOrigin } from "./links";
import { valid } from "./validate";
import { logLine } from "../logging/log";
import { SessionParam } from "./params";

const FileParam = SessionParam.extend({ fileId: FileIdSchema });
const PartParam = FileParam.extend({ part: z.coerce.number().int().positive() });
const DownloadQuery = z.object({ ticket: z.string().optional(), inline: z.enum(["0", "1"]).optional() });

/** Part uploads carry up to a part of bytes, not JSON: app.ts leaves them out of the 16 KiB limit. */
export const PART_PATH = /^\/api\/sessions\/[^/]+\/files\/[^/]+\/parts\/[^/]+$/;

// The guards sit on each route, not on a wildcard, so that they see the route's file id.
export const files = new Hono<AppEnv>()
	.post("/:sessionId/files", refuseForeignOrigin, fileActor, valid("param", SessionParam), valid("json", StartUploadSchema), async (c) => {
		const actor = c.get("actor");
		const session = sessionOf(c.env, c.req.valid("param").sessionId);
		const started = await session.fileStart(actor, c.req.valid("json"));
		if (isRefusal(started)) return refused(c, started);
		const { upload, createMultipart } = started;
		if (createMultipart) {
			const created = await c.env.ARCHIVE.createMultipartUpload(createMultipart.key, { httpMetadata: { contentType: createMultipart.contentType } });
			// The same start sent twice at once: the session keeps the first multipart upload made.
			const kept = await session.fileMultipart(actor, upload.fileId, created.uploadId);
			if (isRefusal(kept) || kept.spare) await created.abort();
		}
		return c.json(upload, upload.partsDone.length === 0 && upload.seq === null ? 201 : 200);
	})
	.put("/:sessionId/files/:fileId/parts/:part", refuseForeignOrigin, fileActor, valid("param", PartParam), async (c) => {
		const { sessionId, fileId, part } = c.req.valid("param");
		const actor = c.get("actor");
		const session = sessionOf(c.env, sessionId);
		const target = await session.filePartTarget(actor, fileId, part);
		if (isRefusal(target)) return refused(c, target);
		if ("done" in target) return c.json(target.done);
		if (c.req.header("Content-Length") !== String(target.length) || !c.req.raw.body) {
			return c.json({ error: `part ${part} is ${target.length} bytes, sent with its Content-Length` }, 400);
		}
		let body: ReadableStream<Uint8Array> = c.req.raw.body;
		if (target.checkHead) {
			const peeked = await peek(body, Math.min(HEAD_BYTES, target.length));
			if (!(await contentMatches(fileTypeOf(target.contentType), peeked.head))) {
				await peeked.stream.cancel();
				await session.fileCancel(actor, fileId);
				return c.json({ error: "the file's content is not of the type its name says" }, 415);
			}
			body = peeked.stream;
		}
		// Streamed, never held whole: R2 needs the length up front, and FixedLengthStream both
		// declares it and fails the write should the client send more or less than it announced.
		const sized = body.pipeThrough(new FixedLengthStream(target.length));
		const etag = target.multipartId
			? (await c.env.ARCHIVE.resumeMultipartUpload(target.key, target.multipartId).uploadPart(part, sized)).etag
			: (await c.env.ARCHIVE.put(target.key, sized, { httpMetadata: { contentType: target.contentType } })).etag;
		const upload = await session.filePartStored(actor, fileId, part, etag);
		return isRefusal(upload) ? refused(c, upload) : c.json(upload);
	})
	.post("/:sessionId/files/:fileId/complete", refuseForeignOrigin, fileActor, valid("param", FileParam), async (c) => {
		const { sessionId, fileId } = c.req.valid("param");
		const actor = c.get("actor");
		const session = sessionOf(c.env, sessionId);
		const completion = await session.fileCompletion(actor, fileId);
		if (isRefusal(completion)) return refused(c, completion);
		if ("done" in completion) return c.json(completion.done);
		if (completion.multipartId) {
			try {
				await c.env.ARCHIVE.resumeMultipartUpload(completion.key, completion.multipartId).complete(completion.parts);
			} catch (error) {
				// A completion sent twice at once completes in R2 once; the other finds the object below.
				logLine("info", "multipart completion failed", { requestId: c.get("requestId"), fileId, error: error instanceof Error ? error.message : "unknown" });
			}
		}
		const stored = await c.env.ARCHIVE.head(completion.key);
		const upload = await session.fileCompleted(actor, fileId, stored?.size ?? -1);
		return isRefusal(upload) ? refused(c, upload) : c.json(upload);
	})
	.delete("/:sessionId/files/:fileId", refuseForeignOrigin, fileActor, valid("param", FileParam), async (c) => {
		const { sessionId, fileId } = c.req.valid("param");
		const refusal = await sessionOf(c.env, sessionId).fileCancel(c.get("actor"), fileId);
		return refusal ? refused(c, refusal) : c.body(null, 204);
	})
	.post("/:sessionId/files/:fileId/ticket", refuseForeignOrigin, fileActor, valid("param", FileParam), async (c) => {
		const { sessionId, fileId } = c.req.valid("param");
		const actor = c.get("actor");
		const file = await sessionOf(c.env, sessionId).fileDownloadable(actor, fileId);
		if (isRefusal(file)) return refused(c, file);
		const now = Date.now();
		const ticket = await signTicket(c.get("config").keys.participantTokens, sessionId, fileId, actor, now);
		return c.json({ url: `/api/sessions/${sessionId}/files/${fileId}?ticket=${ticket}`, expiresAt: now + TICKET_TTL_MS } satisfies Ticket);
	})
	.get("/:sessionId/files/:fileId", refuseForeignOrigin, fileActor, valid("param", FileParam), valid("query", DownloadQuery), async (c) => {
		const { sessionId, fileId } = c.req.valid("param");
		const file = await sessionOf(c.env, sessionId).fileDownloadable(c.get("actor"), fileId);
		if (isRefusal(file)) return refused(c, file);
		const object = await c.env.ARCHIVE.get(file.key);
		if (!object) return c.json({ error: "no such file" }, 404);
		return new Response(object.body, { headers: downloadHeaders(file, c.req.valid("query").inline === "1" && file.preview) });
	});
