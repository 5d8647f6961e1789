/**
 * Where a file lives in R2: under its case and session, by the id the session gave it. The sender's
 * file name never reaches the key, so no name can collide, traverse or leak through a listing.
 */
export function attachmentKey(caseId: string, sessionId: string, fileId: string): string {
	return `attachments/${caseId}/${sessionId}/${fileId}`;
}
