/**
 * The side effects a session's changes cause, as they are stored in its outbox, and how each is
 * carried out. Each is idempotent: a transcript is built from a frozen log and writes the same
 * bytes, the directory keeps the newest report by version, and ending a session that has ended
 * changes nothing; a file removed again is not there to remove, and a file scanned again whose
 * verdict is in changes nothing.
 */
import { z } from "zod";
import type { SessionChange, TransferReport } from "../directory/contract";
import { SESSION_STATUSES, SEVERITIES } from "../shared/protocol";
import type { EffectIntent } from "./decision";
import { transcriptKey } from "./contract";
import type { Presence } from "./lifecycle";
import { isQueued } from "./lifecycle";
import type { SessionRecord } from "./session-record";
import { TransferReportSchema } from "../directory/contract";


export const EffectSchema = z.discriminatedUnion("kind", [
	z.object({
		kind: z.literal("report"),
		change: z.object({
			sessionId: z.string(),
			caseId: z.string(),
			status: z.enum(SESSION_STATUSES),
			queued: z.boolean(),
			at: z.number(),
			previousAgent: z.string().nullable(),
			// Reports written before the queue kept these show as an untitled case of normal severity.
			subject: z.string().default(""),
			severity: z.enum(SEVERITIES).default("normal"),
			version: z.number(),
		}),
	}),
	z.object({ kind: z.literal("transcript"), caseId: z.string(), sessionId: z.string() }),
	/** A resolved case ends every other live session of it, for everyone in them. */
	z.object({ kind: z.literal("resolve_case"), caseId: z.string(), sessionId: z.string() }),
	/** A finished file goes to the scanner; its verdict comes back to the session as a command. */
	z.object({ kind: z.literal("scan_file"), fileId: z.string() }),
	/** What R2 holds of a file that is not to be kept: its unfinished multipart upload and its object. */
	z.object({ kind: z.literal("remove_file"), key: z.string(), multipartId: z.string().nullable() }),
	/** The chat's transfer offer as it now stands (null: none), for the target agent's console; the directory keeps the newest by version. */
	z.object({ kind: z.literal("transfer_offer"), report: TransferReportSchema }),
]);
export type Effect = z.infer<typeof EffectSchema>;

/** The facts of a change an effect is stored with. */
export interface ChangeFacts {
	record: SessionRecord;
	presence: Presence;
	/** The log's last sequence number once the change is in it. */
	version: number;
	now: number;
}

/** An effect as it is stored, from what the change made necessary. */
export function effectOf(intent: EffectIntent, { record, presence, version, now }: ChangeFacts): Effect {
	if (typeof intent === "object") return intent;
	switch (intent) {
		case "report":
			return {
				kind: "report",
				change: { sessionId: record.sessionId, caseId: record.caseId, status: record.status, queued: isQueued(record, presence), at: now, previousAgent: record.previousAgent, subject: record.subject, severity: record.severity, version },
			};
		case "transcript":
			return { kind: "transcript", caseId: record.caseId, sessionId: record.sessionId };
		case "resolve_case":
			return { kind: "resolve_case", caseId: record.caseId, sessionId: record.sessionId };
		case "transfer_offer": {
			const offer = record.transfer;
			const entry = offer && { subject: record.subject, severity: record.severity, customerName: record.customerName, from: offer.from.name, to: offer.to.id, offeredAt: offer.offeredAt, expiresAt: offer.expiresAt };
			return { kind: "transfer_offer", report: { sessionId: record.sessionId, caseId: record.caseId, version, offer: entry } };
		}
	}
}

/** Effects that supersede the one of their kind still waiting: only the newest status report matters. */
export function coalesceKey(effect: Effect): string | null {
	if (effect.kind === "transfer_offer") return "transfer_offer";
	return effect.kind === "report" ? "report" : null;
}

/** What carrying out effects needs from outside; tests hand in a failing R2 or directory here. */
export interface EffectPorts {
	archive: Pick<R2Bucket, "put">;
	reportToDirectory(change: SessionChange): Promise<void>;
	liveSessionsOf(caseId: string): Promise<string[]>;
	/** Ends another session of the case as resolved with it. */
	endSession(sessionId: string): Promise<void>;
	/** Sends a file to the scanner and hands the verdict to the session (it knows the file and the rule). */
	scanFile(fileId: string): Promise<void>;
	removeFile(key: string, multipartId: string | null): Promise<void>;
	/** Tells the directory of the chat's transfer offer, for the target agent's console. */
	reportTransfer(report: TransferReport): Promise<void>;
}

/** Carries out one effect; throws if it must be tried again. `transcript` builds the ended session's transcript. */
export async function perform(effect: Effect, ports: EffectPorts, transcript: () => string): Promise<void> {
	switch (effect.kind) {
		case "report":
			return ports.reportToDirectory(effect.change);
		case "transcript":
			await ports.archive.put(transcriptKey(effect.caseId, effect.sessionId), transcript(), { httpMetadata: { contentType: "application/json" } });
			return;
		case "resolve_case": {
			const others = (await ports.liveSessionsOf(effect.caseId)).filter((id) => id !== effect.sessionId);
			await Promise.all(others.map((id) => ports.endSession(id)));
			return;
		}
		case "scan_file":
			return ports.scanFile(effect.fileId);
		case "remove_file":
			return ports.removeFile(effect.key, effect.multipartId);
		case "transfer_offer":
			return ports.reportTransfer(effect.report);
	}
}
