/**
 * What the file routes and a session's file calls say to each other (the session's side is in
 * session-files.ts and ChatSession's file block). The bytes never pass through the session: the
 * Worker streams them to R2 and the session decides and records.
 */
import type { Upload } from "../shared/files";
import type { Actor } from "../shared/protocol";

/**
 * Who asks, as the file routes verified them: with the device their participant token was issued
 * for (it stops working when they leave, as the chat's socket does), or null for an agent signed
 * in as such.
 */
export interface FileCaller extends Actor {
	deviceId: string | null;
}

/** An answer the route passes on as it is: the HTTP status and what to tell the user. */
export interface FileRefusal {
	refused: 403 | 404 | 409 | 410 | 413 | 415 | 422;
	error: string;
}

export function isRefusal<T extends object>(value: T | FileRefusal): value is FileRefusal {
	return "refused" in value;
}

/** A started upload; for a file of several parts the Worker creates its R2 multipart upload and hands its id back. */
export interface Started {
	upload: Upload;
	createMultipart: { key: string; contentType: string } | null;
}

/** Where the Worker is to stream part `part` of a file, or, for a part of a finished upload, the upload. */
export type PartTarget = { key: string; multipartId: string | null; length: number; contentType: string; checkHead: boolean } | { done: Upload };

/** What the Worker completes in R2 before the session posts the file; or the upload, already complete. */
export type Completion = { key: string; multipartId: string | null; size: number; parts: R2UploadedPart[] } | { done: Upload };

export interface Downloadable {
	key: string;
	name: string;
	contentType: string;
	size: number;
	preview: boolean;
}
