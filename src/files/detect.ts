/**
 * Whether a file's leading bytes are what its type says. Binary formats are named by `file-type`
 * (pure JavaScript, runs in workerd as it is), reading only the bytes given; plain text has no
 * signature, so it is checked here: valid UTF-8 and no NUL bytes, and nothing the detector
 * recognises (an HTML page called .png is not text either, but it is not a PNG, so it fails there).
 */
import { fileTypeFromBuffer } from "file-type";
import type { FileType } from "./file-types";

/** How many leading bytes the check reads: what `file-type` needs for most formats. */
export const HEAD_BYTES = 4100;

export async function contentMatches(type: FileType, head: Uint8Array): Promise<boolean> {
	const detected = head.byteLength === 0 ? undefined : await fileTypeFromBuffer(head);
	if (type.content.kind === "magic") return detected !== undefined && type.content.detected.includes(detected.mime);
	return detected === undefined && isText(head);
}

function isText(head: Uint8Array): boolean {
	if (head.includes(0)) return false;
	try {
		// `stream: true`: the head may end inside a character that the rest of the file completes.
		new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head, { stream: true });
		return true;
	} catch {
		return false;
	}
}
