/**
 * The session's files in its SQLite: each upload from start to its end (posted, blocked or
 * aborted) and the parts stored so far. One row per file; (sender, client id) is unique, so a
 * start sent twice finds the upload the first one began. `due_at` is when an unfinished upload
 * counts as given up, and moves on with every part.
 */
import { z } from "zod";
import type { Actor } from "../shared/protocol";
import { ROLES } from "../shared/protocol";

const UPLOAD_STATES = ["uploading", "checking", "ready", "blocked", "aborted"] as const;
type UploadState = (typeof UPLOAD_STATES)[number];

const ActorSchema = z.object({ id: z.string(), role: z.enum(ROLES), name: z.string() });

const RowSchema = z.object({
	file_id: z.string(),
	client_id: z.string(),
	actor: z.string().transform((json) => ActorSchema.parse(JSON.parse(json))),
	name: z.string(),
	size: z.number(),
	content_type: z.string(),
	preview: z.number().transform((n) => n === 1),
	r2_key: z.string(),
	multipart_id: z.string().nullable(),
	state: z.enum(UPLOAD_STATES),
	seq: z.number().nullable(),
	due_at: z.number().nullable(),
});
export type UploadRow = z.output<typeof RowSchema>;

export interface NewUpload {
	fileId: string;
	clientId: string;
	actor: Actor;
	name: string;
	size: number;
	contentType: string;
	preview: boolean;
	key: string;
	dueAt: number;
}

export class UploadStore {
	/**
	 * `nextDue` as last read; undefined once a write may have moved it. The session's alarm asks
	 * for it after every change, and nearly every change leaves the uploads alone. Every write
	 * forgets it before it runs and nothing asks inside a session's step, so a step that is rolled
	 * back leaves nothing here to forget.
	 */
	private nextDueAt: number | null | undefined;

	constructor(private readonly sql: SqlStorage) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS uploads (
				file_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, actor_id TEXT NOT NULL, actor TEXT NOT NULL,
				name TEXT NOT NULL, size INTEGER NOT NULL, content_type TEXT NOT NULL, preview INTEGER NOT NULL,
				r2_key TEXT NOT NULL, multipart_id TEXT, state TEXT NOT NULL, seq INTEGER, due_at INTEGER);
			CREATE UNIQUE INDEX IF NOT EXISTS uploads_by_client_id ON uploads (actor_id, client_id);
			CREATE INDEX IF NOT EXISTS uploads_due ON uploads (due_at) WHERE due_at IS NOT NULL;
			CREATE TABLE IF NOT EXISTS upload_parts (
				file_id TEXT NOT NULL, part INTEGER NOT NULL, etag TEXT NOT NULL, PRIMARY KEY (file_id, part));
		`);
	}

	get(fileId: string): UploadRow | null {
		return this.one(this.sql.exec("SELECT * FROM uploads WHERE file_id = ?", fileId).toArray()[0]);
	}

	byClientId(actorId: string, clientId: string): UploadRow | null {
		return this.one(this.sql.exec("SELECT * FROM uploads WHERE actor_id = ? AND client_id = ?", actorId, clientId).toArray()[0]);
	}

	insert(u: NewUpload): void {
		this.nextDueAt = undefined;
		this.sql.exec(
			`INSERT INTO uploads (file_id, client_id, actor_id, actor, name, size, content_type, preview, r2_key, state, due_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'uploading', ?)`,
			u.fileId,
			u.clientId,
			u.actor.id,
			JSON.stringify(u.actor),
			u.name,
			u.size,
			u.contentType,
			u.preview ? 1 : 0,
			u.key,
			u.dueAt,
		);
	}

	/** Sets the R2 multipart upload of a file that has none yet; false if it had one (another start got there first). */
	setMultipart(fileId: string, multipartId: string): boolean {
		return this.sql.exec("UPDATE uploads SET multipart_id = ? WHERE file_id = ? AND multipart_id IS NULL", multipartId, fileId).rowsWritten > 0;
	}

	/** Bytes the session holds or is receiving: everything not blocked or aborted counts towards its limit. */
	bytesInUse(): number {
		return this.sql.exec<{ bytes: number | null }>("SELECT sum(size) AS bytes FROM uploads WHERE state NOT IN ('blocked', 'aborted')").one().bytes ?? 0;
	}

	/** Records a stored part; storing the same part again replaces its tag, so a retry is never counted twice. */
	partDone(fileId: string, part: number, etag: string, dueAt: number): void {
		this.nextDueAt = undefined;
		this.sql.exec("INSERT INTO upload_parts (file_id, part, etag) VALUES (?, ?, ?) ON CONFLICT (file_id, part) DO UPDATE SET etag = excluded.etag", fileId, part, etag);
		this.sql.exec("UPDATE uploads SET due_at = ? WHERE file_id = ? AND state = 'uploading'", dueAt, fileId);
	}

	parts(fileId: string): R2UploadedPart[] {
		return this.sql
			.exec<{ part: number; etag: string }>("SELECT part, etag FROM upload_parts WHERE file_id = ? ORDER BY part", fileId)
			.toArray()
			.map((row) => ({ partNumber: row.part, etag: row.etag }));
	}

	/** Moves a file on from uploading: no deadline any more, and its part list has served its purpose. */
	setState(fileId: string, state: Exclude<UploadState, "uploading">, seq: number | null = null): void {
		this.nextDueAt = undefined;
		this.sql.exec("UPDATE uploads SET state = ?, seq = coalesce(?, seq), due_at = NULL WHERE file_id = ?", state, seq, fileId);
		this.sql.exec("DELETE FROM upload_parts WHERE file_id = ?", fileId);
	}

	/** When the next unfinished upload counts as given up; null if none is under way. */
	nextDue(): number | null {
		if (this.nextDueAt === undefined) this.nextDueAt = this.sql.exec<{ at: number | null }>("SELECT min(due_at) AS at FROM uploads WHERE due_at IS NOT NULL").one().at;
		return this.nextDueAt;
	}

	due(now: number): UploadRow[] {
		return this.sql
			.exec("SELECT * FROM uploads WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at", now)
			.toArray()
			.flatMap((raw) => this.one(raw) ?? []);
	}

	private one(raw: unknown): UploadRow | null {
		return raw === undefined ? null : RowSchema.parse(raw);
	}
}
