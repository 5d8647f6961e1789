/**
 * A session's file calls, behind the RPC methods ChatSession keeps for them. The Worker
 * authenticates and moves the bytes (routes/files.ts); the session decides and records
 * (src/files/session-files.ts). Posting a file, a scanner's verdict and removing what R2 holds of a
 * file are commands, so they go through the session's one write step; removals and scans are
 * outbox effects.
 */
import type { Actor } from "../shared/protocol";
import type { StartUpload, Upload } from "../shared/files";
import type { Completion, Downloadable, FileCaller, FileRefusal, PartTarget, Started } from "../files/contract";
import type { FileLimits } from "../files/limits";
import { scanFile } from "../files/scanner";
import type { SessionFacts } from "../files/session-files";
import { SessionFiles } from "../files/session-files";
import type { Command, Decision } from "./decision";
import { isTerminal } from "./lifecycle";
import type { SessionRecord } from "./session-record";

/** What the file calls need of their session. */
export interface FileHost {
	readonly sql: SqlStorage;
	readonly archive: R2Bucket;
	limits(): FileLimits;
	now(): number;
	/** The session with whatever deadline is due applied; null if it does not exist. */
	current(): SessionRecord | null;
	deviceLive(deviceId: string, actorId: string): boolean;
	present(actorId: string): boolean;
	/** Decides and applies a command; `also` is written in the same step unless it was refused. */
	execute(actor: Actor | null, command: Command, also?: () => void): Decision;
	lastSeq(): number;
	armAlarm(): Promise<void>;
}

const NO_SESSION: FileRefusal = { refused: 404, error: "no such session" };
const NO_SUCH_FILE: FileRefusal = { refused: 404, error: "no such file" };

export class FileCalls {
	private readonly files: SessionFiles;

	constructor(private readonly host: FileHost) {
		this.files = new SessionFiles(host.sql, () => host.limits());
	}

	/** When the next unfinished upload is due to be given up on, for the session's alarm. */
	nextDue(): number | null {
		return this.files.nextDue();
	}

	async start(caller: FileCaller, request: StartUpload): Promise<Started | FileRefusal> {
		const asked = this.context(caller);
		if ("refused" in asked) return asked;
		const started = this.files.start(asked.actor, request, asked.facts, this.host.now());
		await this.host.armAlarm();
		return started;
	}

	multipart(caller: FileCaller, fileId: string, multipartId: string): { spare: boolean } | FileRefusal {
		const asked = this.context(caller);
		return "refused" in asked ? asked : this.files.multipart(asked.actor, fileId, multipartId);
	}

	partTarget(caller: FileCaller, fileId: string, part: number): PartTarget | FileRefusal {
		const asked = this.context(caller);
		return "refused" in asked ? asked : this.files.partTarget(asked.actor, fileId, part, asked.facts);
	}

	async partStored(caller: FileCaller, fileId: string, part: number, etag: string): Promise<Upload | FileRefusal> {
		const asked = this.context(caller);
		if ("refused" in asked) return asked;
		const stored = this.files.partStored(asked.actor, fileId, part, etag, this.host.now());
		if (!("cancelled" in stored)) {
			await this.host.armAlarm();
			return stored;
		}
		// Cancelled while this part was on its way: what it stored must not outlive the cancel.
		this.discard(stored.cancelled.file_id, stored.cancelled.r2_key, stored.cancelled.multipart_id);
		return { refused: 410, error: "this upload was cancelled" };
	}

	completion(caller: FileCaller, fileId: string): Completion | FileRefusal {
		const asked = this.context(caller);
		return "refused" in asked ? asked : this.files.completion(asked.actor, fileId, asked.facts);
	}

	/** The Worker completed the file in R2 and found `storedSize` bytes there: the file is posted, once. */
	completed(caller: FileCaller, fileId: string, storedSize: number): Upload | FileRefusal {
		const asked = this.context(caller);
		if ("refused" in asked) return asked;
		const { files } = this;
		const row = files.get(fileId);
		if (!row || row.actor.id !== asked.actor.id) return NO_SUCH_FILE;
		if (row.state !== "uploading") return files.view(row);
		if (storedSize !== row.size) return { refused: 409, error: "the stored file is not the size that was announced: send it again" };
		const body = files.eventOf(row);
		const decision = this.host.execute(asked.actor, { type: "file", body }, () => files.posted(fileId, body.checking, this.host.lastSeq()));
		if (decision.error) return { refused: decision.error.code === "forbidden" ? 403 : 409, error: decision.error.message };
		const posted = files.get(fileId);
		return posted ? files.view(posted) : NO_SUCH_FILE;
	}

	/** Cancels an unfinished upload (the sender's cancel, or content that failed the check): nothing of it stays. */
	cancel(caller: FileCaller, fileId: string): FileRefusal | null {
		const asked = this.context(caller);
		if ("refused" in asked) return asked;
		const row = this.files.cancellable(asked.actor, fileId);
		if (row === null || "refused" in row) return row;
		this.discard(row.file_id, row.r2_key, row.multipart_id);
		return null;
	}

	downloadable(caller: FileCaller, fileId: string): Downloadable | FileRefusal {
		const asked = this.context(caller);
		return "refused" in asked ? asked : this.files.downloadable(asked.actor, fileId, asked.facts);
	}

	/** The alarm's part: uploads given up on are aborted, and what they stored removed. */
	discardAbandoned(): void {
		for (const upload of this.files.abandoned(this.host.now())) this.discard(upload.file_id, upload.r2_key, upload.multipart_id);
	}

	/** The scan effect: the file to the scanner, its verdict (or the deployment's rule, without one) decided as a command. */
	async scan(fileId: string): Promise<void> {
		const { files } = this;
		const row = files.get(fileId);
		if (row?.state !== "checking") return;
		const limits = this.host.limits();
		const object = limits.scannerUrl ? await this.host.archive.get(row.r2_key) : null;
		const verdict = limits.scannerUrl && object ? await scanFile(limits.scannerUrl, { fileId, contentType: row.content_type, body: object.body, size: row.size }, limits.scanTimeoutMs) : "no_answer";
		// The first verdict counts: a scan run again after a death finds the file settled.
		if (files.get(fileId)?.state !== "checking") return;
		const release = verdict === "clean" || (verdict === "no_answer" && limits.scanTimeoutRule === "release");
		this.host.execute(null, { type: "file_verdict", fileId, release, scanned: verdict !== "no_answer", key: row.r2_key }, () => files.settled(fileId, release ? "ready" : "blocked"));
	}

	/**
	 * The caller as the chat knows them, if the device their token was issued for is still in it, and
	 * the session as its files see it, once whatever deadline is due has been applied.
	 */
	private context(caller: FileCaller): { actor: Actor; facts: SessionFacts } | FileRefusal {
		const { deviceId, ...actor } = caller;
		const record = this.host.current();
		if (!record) return NO_SESSION;
		if (deviceId !== null && !this.host.deviceLive(deviceId, actor.id)) return { refused: 403, error: "you are not in this chat: join again with your invite link" };
		const facts = { caseId: record.caseId, sessionId: record.sessionId, finished: isTerminal(record), present: (id: string) => this.host.present(id) };
		return { actor, facts };
	}

	private discard(fileId: string, key: string, multipartId: string | null): void {
		this.host.execute(null, { type: "discard_file", key, multipartId }, () => this.files.settled(fileId, "aborted"));
	}
}
