/**
 * The bodies of the file routes (docs: README "Files"), shared by the Worker, the pages and the
 * OpenAPI document. zod/mini, as in api.ts: the pages bundle these.
 */
import * as z from "zod/mini";

/** 16 random bytes in base64url, given by the session. */
const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const FileIdSchema = z.string().check(z.regex(FILE_ID_PATTERN, "not a file id"));

export const StartUploadSchema = z.strictObject({
	/** The sender's own id for this file: starting again with it resumes the same upload. */
	clientId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits and _.:- only")),
	// No control characters: the name is shown in the chat and sent back in a header.
	name: z.string().check(z.trim(), z.minLength(1, "a file name is required"), z.maxLength(255), z.regex(/^[^\u0000-\u001f\u007f]+$/, "no control characters")),
	size: z.int().check(z.positive("the file is empty")),
	/** The type the browser declared; the name and the bytes decide, this must only agree. */
	type: z._default(z.string().check(z.maxLength(255)), ""),
});
export type StartUpload = z.infer<typeof StartUploadSchema>;

export const UploadSchema = z.object({
	fileId: FileIdSchema,
	/** The type the file is stored and served with. */
	contentType: z.string(),
	size: z.int(),
	/** Every part but the last is this long; send part n (from 1) as bytes (n-1)·partBytes onwards. */
	partBytes: z.int(),
	parts: z.int(),
	/** Parts already stored: a resumed upload sends only the others. */
	partsDone: z.array(z.int()),
	/** Sequence number of the file's event once it is complete; null while it is uploading. */
	seq: z.nullable(z.int()),
});
export type Upload = z.infer<typeof UploadSchema>;

export const TicketSchema = z.object({
	/** A download URL good for 60 seconds; add `&inline=1` to show a previewable image. */
	url: z.string(),
	expiresAt: z.number(),
});
export type Ticket = z.infer<typeof TicketSchema>;
