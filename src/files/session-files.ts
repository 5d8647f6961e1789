/**
 * A session's uploads: who may start, send and open files (by the session's policy), the limits,
 * the parts stored, and what a finished file is posted as. Everything here is synchronous SQLite:
 * the bytes and their R2 calls are the Worker's (routes/files.ts), clean-ups and scans are the
 * session's outbox effects, and posting a file is a command decided like a message.
 */
import type { StartUpload, Upload } from "../shared/files";
import type { Actor, EventBody } from "../shared/protocol";
import type { Action } from "../session/policy";
import { permit } from "../session/policy";
import { randomId128 } from "../security/random";
import type { Completion, Downloadable, FileRefusal, PartTarget, Started } from "./contract";
import { allowedExtensions, typeForFile } from "./file-types";
import { attachmentKey } from "./keys";
import type { FileLimits } from "./limits";
import { PART_BYTES, isMultipart, partCount, partLength } from "./parts";
import type { UploadRow } from "./upload-store";
import { UploadStore } from "./upload-store";

/** What the session tells its files about itself. */
export interface SessionFacts {
	caseId: string;
	sessionId: string;
	finished: boolean;
	present(actorId: string): boolean;
}

type FileBody = Extract<EventBody, { type: "file" }>;

const refuse = (refused: FileRefusal["refused"], error: string): FileRefusal => ({ refused, error });
const NO_SUCH_FILE = refuse(404, "no such file");
const CANCELLED = refuse(410, "this upload was cancelled");

export class SessionFiles {
	private readonly store: UploadStore;

	constructor(
		sql: SqlStorage,
		private readonly limits: () => FileLimits,
	) {
		this.store = new UploadStore(sql);
	}

	nextDue(): number | null {
		return this.store.nextDue();
	}

	/** Uploads given up on: no part for longer than the deployment allows. */
	abandoned(now: number): UploadRow[] {
		return this.store.due(now).filter((row) => row.state === "uploading");
	}

	get(fileId: string): UploadRow | null {
		return this.store.get(fileId);
	}

	start(actor: Actor, request: StartUpload, session: SessionFacts, now: number): Started | FileRefusal {
		const refusal = this.mayNot(actor, "send_file", session);
		if (refusal) return refusal;
		const known = this.store.byClientId(actor.id, request.clientId);
		if (known) return this.started(known);
		const limits = this.limits();
		const type = typeForFile(request.name, request.type, limits.allowed);
		if (!type) return refuse(415, `this type of file cannot be sent here; allowed are ${allowedExtensions(limits.allowed).join(" ")}`);
		if (request.size > limits.maxFileBytes) return refuse(413, `files are limited to ${megabytes(limits.maxFileBytes)}`);
		if (this.store.bytesInUse() + request.size > limits.maxSessionBytes) return refuse(413, `this chat's files are limited to ${megabytes(limits.maxSessionBytes)} in all`);
		const fileId = randomId128();
		const key = attachmentKey(session.caseId, session.sessionId, fileId);
		this.store.insert({ fileId, clientId: request.clientId, actor, name: request.name, size: request.size, contentType: type.contentType, preview: type.preview, key, dueAt: now + limits.abandonAfterMs });
		return this.started(this.mustGet(fileId));
	}

	/** Keeps the first multipart upload created for a file; `spare` says the one offered lost and is to be aborted. */
	multipart(actor: Actor, fileId: string, multipartId: string): { spare: boolean } | FileRefusal {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		return { spare: row.state !== "uploading" || !this.store.setMultipart(fileId, multipartId) };
	}

	partTarget(actor: Actor, fileId: string, part: number, session: SessionFacts): PartTarget | FileRefusal {
		const row = this.unfinished(actor, fileId, session);
		if (!("file_id" in row)) return row;
		const length = partLength(row.size, part);
		if (length === null) return refuse(422, `this file has parts 1 to ${partCount(row.size)}`);
		if (isMultipart(row.size) && !row.multipart_id) return refuse(409, "this upload is not started yet: start it again");
		return { key: row.r2_key, multipartId: row.multipart_id, length, contentType: row.content_type, checkHead: part === 1 };
	}

	/** Records a stored part; a part that arrives after its upload was cancelled is to be removed (`cancelled`). */
	partStored(actor: Actor, fileId: string, part: number, etag: string, now: number): Upload | { cancelled: UploadRow } | FileRefusal {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		if (row.state === "aborted") return { cancelled: row };
		if (row.state === "uploading") this.store.partDone(fileId, part, etag, now + this.limits().abandonAfterMs);
		return this.view(this.mustGet(fileId));
	}

	completion(actor: Actor, fileId: string, session: SessionFacts): Completion | FileRefusal {
		const row = this.unfinished(actor, fileId, session);
		if (!("file_id" in row)) return row;
		const parts = this.store.parts(fileId);
		const missing = Array.from({ length: partCount(row.size) }, (_, i) => i + 1).filter((n) => !parts.some((p) => p.partNumber === n));
		if (missing.length > 0) return refuse(409, `parts still to send: ${missing.join(", ")}`);
		return { key: row.r2_key, multipartId: row.multipart_id, size: row.size, parts };
	}

	/** The event a complete file is posted as; `checking` while a scanner is to look at it first. */
	eventOf(row: UploadRow): FileBody {
		return { type: "file", fileId: row.file_id, name: row.name, size: row.size, contentType: row.content_type, key: row.r2_key, preview: row.preview, checking: this.limits().scannerUrl !== null };
	}

	/** An upload the sender may cancel; null if it is already cancelled. */
	cancellable(actor: Actor, fileId: string): UploadRow | null | FileRefusal {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		if (row.state === "aborted") return null;
		if (row.state !== "uploading") return refuse(409, "this file has already been sent");
		return row;
	}

	posted(fileId: string, checking: boolean, seq: number): void {
		this.store.setState(fileId, checking ? "checking" : "ready", seq);
	}

	settled(fileId: string, state: "ready" | "blocked" | "aborted"): void {
		this.store.setState(fileId, state);
	}

	downloadable(actor: Actor, fileId: string, session: SessionFacts): Downloadable | FileRefusal {
		const row = this.store.get(fileId);
		if (!row) return NO_SUCH_FILE;
		const refusal = this.mayNot(actor, "open_file", session);
		if (refusal) return refusal;
		if (row.state === "checking") return refuse(409, "this file is still being checked");
		if (row.state === "blocked") return refuse(410, "this file was blocked by the virus check");
		if (row.state !== "ready") return NO_SUCH_FILE;
		return { key: row.r2_key, name: row.name, contentType: row.content_type, size: row.size, preview: row.preview };
	}

	view(row: UploadRow): Upload {
		const done = row.state === "uploading" ? this.store.parts(row.file_id).map((p) => p.partNumber) : [];
		return { fileId: row.file_id, contentType: row.content_type, size: row.size, partBytes: PART_BYTES, parts: partCount(row.size), partsDone: done, seq: row.seq };
	}

	/** The sender's upload while it is under way; else what to answer: gone, cancelled, already posted, or not theirs to send now. */
	private unfinished(actor: Actor, fileId: string, session: SessionFacts): UploadRow | { done: Upload } | FileRefusal {
		const row = this.store.get(fileId);
		if (!row || row.actor.id !== actor.id) return NO_SUCH_FILE;
		if (row.state === "aborted") return CANCELLED;
		if (row.state !== "uploading") return { done: this.view(row) };
		return this.mayNot(actor, "send_file", session) ?? row;
	}

	private started(row: UploadRow): Started {
		const createMultipart = row.state === "uploading" && isMultipart(row.size) && !row.multipart_id ? { key: row.r2_key, contentType: row.content_type } : null;
		return { upload: this.view(row), createMultipart };
	}

	private mayNot(actor: Actor, action: Action, session: SessionFacts): FileRefusal | null {
		const verdict = permit(actor.role, action, { present: session.present(actor.id), finished: session.finished });
		if (verdict.ok) return null;
		return refuse(verdict.code === "session_ended" ? 409 : 403, verdict.message);
	}

	private mustGet(fileId: string): UploadRow {
		const row = this.store.get(fileId);
		if (!row) throw new Error(`file ${fileId} vanished`);
		return row;
	}
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}
