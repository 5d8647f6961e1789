/**
 * A session's side of files: it decides who may upload and download, numbers a finished file
 * into the chat once, runs the scanning hook, and cleans up uploads that were given up. The bytes
 * never pass through here: the Worker streams each part to R2 and tells the session what it
 * stored. ChatSession holds one of these and lends it what it needs (FileHost).
 */
import type { StartUpload, Upload } from "../shared/files";
import type { Actor, EventBody } from "../shared/protocol";
import { randomId128 } from "../security/random";
import type { FileType } from "./file-types";
import { allowedExtensions, typeByContentType, typeForFile } from "./file-types";
import { attachmentKey } from "./keys";
import type { FileLimits } from "./limits";
import { PART_BYTES, isMultipart, partCount, partLength } from "./parts";
import type { ScanVerdict } from "./scanner";
import { scanFile } from "./scanner";
import type { UploadRow } from "./upload-store";
import { UploadStore } from "./upload-store";

/** An answer the route passes on as it is: the HTTP status and what to tell the user. */
export interface FileRefusal {
	refused: 403 | 404 | 409 | 410 | 413 | 415 | 422;
	error: string;
}

/** Where the Worker is to stream part `part` of a file, or, for a part of a finished upload, the upload. */
export type PartTarget = { key: string; multipartId: string | null; length: number; contentType: string; checkHead: boolean } | { done: Upload };

export interface Downloadable {
	key: string;
	name: string;
	contentType: string;
	size: number;
	preview: boolean;
}

/** What the session lends: its identity and state, its log, and its one alarm. */
export interface FileHost {
	caseId: string;
	sessionId: string;
	live(): boolean;
	present(actorId: string): boolean;
	/** Numbers, stores and fans out an event; its sequence number. */
	post(body: EventBody, actor: Actor | null, at: number): number;
	/** Re-arms the session's alarm after the earliest file deadline may have moved. */
	rearm(): Promise<void>;
	waitUntil(work: Promise<unknown>): void;
}

/** How soon a failed R2 clean-up is tried again. */
const CLEANUP_RETRY_MS = 30_000;

const refuse = (refused: FileRefusal["refused"], error: string): FileRefusal => ({ refused, error });
const NO_SUCH_FILE = refuse(404, "no such file");

export function isRefusal<T extends object>(value: T | FileRefusal): value is FileRefusal {
	return "refused" in value;
}

export class SessionFiles {
	private readonly store: UploadStore;
	/** Completions under way, so that a completion sent twice at once completes in R2 once. */
	private readonly completing = new Map<string, Promise<Upload | FileRefusal>>();

	constructor(
		sql: SqlStorage,
		private readonly bucket: R2Bucket,
		private readonly limits: () => FileLimits,
	) {
		this.store = new UploadStore(sql);
	}

	nextDue(): number | null {
		return this.store.nextDue();
	}

	async start(host: FileHost, actor: Actor, request: StartUpload, now: number): Promise<Upload | FileRefusal> {
		const refusal = this.mayUpload(host, actor);
		if (refusal) return refusal;
		const known = this.store.byClientId(actor.id, request.clientId);
		if (known) return this.view(known);
		const limits = this.limits();
		const type = typeForFile(request.name, request.type, limits.allowed);
		if (!type) return refuse(415, `this type of file cannot be sent here; allowed are ${allowedExtensions(limits.allowed).join(" ")}`);
		if (request.size > limits.maxFileBytes) return refuse(413, `files are limited to ${megabytes(limits.maxFileBytes)}`);
		if (this.store.bytesInUse() + request.size > limits.maxSessionBytes) return refuse(413, `this chat's files are limited to ${megabytes(limits.maxSessionBytes)} in all`);

		const fileId = randomId128();
		const key = attachmentKey(host.caseId, host.sessionId, fileId);
		const multipartId = isMultipart(request.size) ? (await this.bucket.createMultipartUpload(key, { httpMetadata: { contentType: type.contentType } })).uploadId : null;
		// The same start may have arrived while R2 was asked: the first one to get here wins.
		const raced = this.store.byClientId(actor.id, request.clientId);
		if (raced) {
			if (multipartId) await this.removeFromR2(key, multipartId);
			return this.view(raced);
		}
		this.store.insert({ fileId, clientId: request.clientId, actor, name: request.name, size: request.size, contentType: type.contentType, preview: type.preview, key, multipartId, dueAt: now + limits.abandonAfterMs });
		await host.rearm();
		return this.view(this.mustGet(fileId));
	}

	partTarget(host: FileHost, actor: Actor, fileId: string, part: number): PartTarget | FileRefusal {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		if (row.state !== "uploading") return row.state === "aborted" ? refuse(410, "this upload was cancelled") : { done: this.view(row) };
		const refusal = this.mayUpload(host, actor);
		if (refusal) return refusal;
		const length = partLength(row.size, part);
		if (length === null) return refuse(422, `this file has parts 1 to ${partCount(row.size)}`);
		return { key: row.r2_key, multipartId: row.multipart_id, length, contentType: row.content_type, checkHead: part === 1 };
	}

	async partStored(host: FileHost, actor: Actor, fileId: string, part: number, etag: string, now: number): Promise<Upload | FileRefusal> {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		if (row.state === "aborted") {
			// Cancelled while this part was on its way: what it stored must not outlive the cancel.
			await this.discard(row, "aborted", now);
			await host.rearm();
			return refuse(410, "this upload was cancelled");
		}
		if (row.state === "uploading") {
			this.store.partDone(fileId, part, etag, now + this.limits().abandonAfterMs);
			await host.rearm();
		}
		return this.view(this.mustGet(fileId));
	}

	complete(host: FileHost, actor: Actor, fileId: string, now: number): Promise<Upload | FileRefusal> {
		const under = this.completing.get(fileId);
		if (under) return under;
		const work = this.completeOnce(host, actor, fileId, now).finally(() => this.completing.delete(fileId));
		this.completing.set(fileId, work);
		return work;
	}

	/** Cancels an unfinished upload (the sender's cancel, or content that failed the check): nothing stays behind. */
	async abort(host: FileHost, actor: Actor, fileId: string): Promise<FileRefusal | null> {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		if (row.state === "aborted") return null;
		if (row.state !== "uploading") return refuse(409, "this file has already been sent");
		await this.discard(row, "aborted", Date.now());
		await host.rearm();
		return null;
	}

	/** A file someone may open: the sender's agents at any time, a customer while they are in the chat. */
	downloadable(host: FileHost, actor: Actor, fileId: string): Downloadable | FileRefusal {
		const row = this.store.get(fileId);
		if (!row) return NO_SUCH_FILE;
		if (actor.role !== "agent" && !host.present(actor.id)) return refuse(403, "you have left this chat");
		if (row.state === "checking") return refuse(409, "this file is still being checked");
		if (row.state === "blocked") return refuse(410, "this file was blocked by the virus check");
		if (row.state !== "ready") return NO_SUCH_FILE;
		return { key: row.r2_key, name: row.name, contentType: row.content_type, size: row.size, preview: row.preview };
	}

	/** The alarm's part: uploads given up on, scans that did not answer in time, R2 clean-ups to try again. */
	async sweep(host: FileHost, now: number): Promise<void> {
		for (const row of this.store.due(now)) {
			if (row.state === "uploading") await this.discard(row, "aborted", now);
			else if (row.state === "checking") {
				this.verdict(host, row.file_id, "no_answer", now);
				await this.finishBlocked(row.file_id);
			}
			else if (row.leftover) await this.discard(row, row.state === "blocked" ? "blocked" : "aborted", now);
		}
		await host.rearm();
	}

	private async completeOnce(host: FileHost, actor: Actor, fileId: string, now: number): Promise<Upload | FileRefusal> {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		if (row.state === "aborted") return refuse(410, "this upload was cancelled");
		if (row.state !== "uploading") return this.view(row);
		const refusal = this.mayUpload(host, actor);
		if (refusal) return refusal;
		const parts = this.store.parts(fileId);
		const missing = Array.from({ length: partCount(row.size) }, (_, i) => i + 1).filter((n) => !parts.some((p) => p.partNumber === n));
		if (missing.length > 0) return refuse(409, `parts still to send: ${missing.join(", ")}`);
		if (row.multipart_id) {
			await this.bucket.resumeMultipartUpload(row.r2_key, row.multipart_id).complete(parts);
		}
		const stored = await this.bucket.head(row.r2_key);
		if (stored?.size !== row.size) return refuse(409, "the stored file is not the size that was announced: send it again");

		const checking = this.limits().scannerUrl !== null;
		const seq = host.post(
			{ type: "file", fileId, name: row.name, size: row.size, contentType: row.content_type, key: row.r2_key, preview: row.preview, checking },
			row.actor,
			now,
		);
		this.store.setState(fileId, checking ? "checking" : "ready", { seq, dueAt: checking ? now + this.limits().scanTimeoutMs : null });
		await host.rearm();
		if (checking) host.waitUntil(this.scan(host, this.mustGet(fileId)));
		return this.view(this.mustGet(fileId));
	}

	private async scan(host: FileHost, row: UploadRow): Promise<void> {
		const limits = this.limits();
		const object = await this.bucket.get(row.r2_key);
		if (!limits.scannerUrl || !object) return;
		const verdict = await scanFile(limits.scannerUrl, { fileId: row.file_id, contentType: row.content_type, body: object.body, size: row.size }, limits.scanTimeoutMs);
		this.verdict(host, row.file_id, verdict, Date.now());
		await this.finishBlocked(row.file_id);
		await host.rearm();
	}

	/** Releases or blocks a file that is being checked; a verdict after the first (the alarm's, a late answer) changes nothing. */
	private verdict(host: FileHost, fileId: string, verdict: ScanVerdict, now: number): void {
		const row = this.store.get(fileId);
		if (row?.state !== "checking") return;
		const release = verdict === "clean" || (verdict === "no_answer" && this.limits().scanTimeoutRule === "release");
		// A verdict after the chat ended is kept for downloads; the log, and with it the transcript, is closed.
		if (release) {
			if (host.live()) host.post({ type: "file_released", fileId, scanned: verdict === "clean" }, null, now);
			this.store.setState(fileId, "ready");
			return;
		}
		if (host.live()) host.post({ type: "file_blocked", fileId, reason: verdict === "infected" ? "infected" : "not_scanned" }, null, now);
		// Deleted next (finishBlocked, or the alarm should this object die first).
		this.store.setState(fileId, "blocked", { leftover: true, dueAt: now });
	}

	private async finishBlocked(fileId: string): Promise<void> {
		const row = this.store.get(fileId);
		if (row?.state === "blocked" && row.leftover) await this.discard(row, "blocked", Date.now());
	}

	/** Removes what R2 holds of a file and records it as `state`; if R2 fails, the alarm tries again. */
	private async discard(row: UploadRow, state: "aborted" | "blocked", now: number): Promise<void> {
		const removed = await this.removeFromR2(row.r2_key, row.multipart_id);
		this.store.setState(row.file_id, state, removed ? {} : { leftover: true, dueAt: now + CLEANUP_RETRY_MS });
	}

	private async removeFromR2(key: string, multipartId: string | null): Promise<boolean> {
		try {
			if (multipartId) await abortQuietly(this.bucket.resumeMultipartUpload(key, multipartId));
			await this.bucket.delete(key);
			return true;
		} catch (error) {
			console.error("file clean-up failed, will retry", error);
			return false;
		}
	}

	private mayUpload(host: FileHost, actor: Actor): FileRefusal | null {
		if (!host.live()) return refuse(409, "this chat has ended");
		if (!host.present(actor.id)) return refuse(403, "you have left this chat");
		return null;
	}

	private view(row: UploadRow): Upload {
		const done = row.state === "uploading" ? this.store.parts(row.file_id).map((p) => p.partNumber) : [];
		return { fileId: row.file_id, contentType: row.content_type, size: row.size, partBytes: PART_BYTES, parts: partCount(row.size), partsDone: done, seq: row.seq };
	}

	private mustGet(fileId: string): UploadRow {
		const row = this.store.get(fileId);
		if (!row) throw new Error(`file ${fileId} vanished`);
		return row;
	}
}

/** The stored type's entry, for the Worker's check of a first part. */
export function fileTypeOf(contentType: string): FileType {
	const type = typeByContentType(contentType);
	if (!type) throw new Error(`no file type stores as ${contentType}`);
	return type;
}

/** A multipart upload that is already complete or gone cannot be aborted, and need not be. */
async function abortQuietly(upload: R2MultipartUpload): Promise<void> {
	try {
		await upload.abort();
	} catch (error) {
		if (!/does not exist|NoSuchUpload|not found/i.test(String(error))) throw error;
	}
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}
