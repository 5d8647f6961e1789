/**
 * The optional scanning hook. A finished file is POSTed to the configured scanner as it is stored
 * (streamed from R2, with its stored type and its id in `X-File-Id`); the scanner answers
 * `{"verdict":"clean"}` or `{"verdict":"infected"}`. Anything else in time — an error status, a
 * body that says neither, no answer at all — counts as no answer, which the deployment's rule decides.
 */
import { z } from "zod";
import { logLine } from "../logging/log";

const VerdictSchema = z.object({ verdict: z.enum(["clean", "infected"]) });
type ScanVerdict = z.infer<typeof VerdictSchema>["verdict"] | "no_answer";

export async function scanFile(scannerUrl: string, file: { fileId: string; contentType: string; body: ReadableStream; size: number }, timeoutMs: number): Promise<ScanVerdict> {
	try {
		const response = await fetch(scannerUrl, {
			method: "POST",
			headers: { "Content-Type": file.contentType, "Content-Length": String(file.size), "X-File-Id": file.fileId },
			body: file.body,
			signal: AbortSignal.timeout(timeoutMs),
		});
		if (!response.ok) return "no_answer";
		const parsed = VerdictSchema.safeParse(await response.json());
		return parsed.success ? parsed.data.verdict : "no_answer";
	} catch (error) {
		logLine("error", "file scanner did not answer", { fileId: file.fileId, error: error instanceof Error ? error.name : "unknown" });
		return "no_answer";
	}
}
