/**
 * The chats offered to each agent, as their sessions last reported them: what the target's console
 * shows until the offer is answered, withdrawn or expired. The session decides; this only mirrors
 * its newest report (by version), so a report sent twice or late changes nothing.
 */
import { z } from "zod";
import { SEVERITIES } from "../shared/protocol";
import type { TransferOfferEntry } from "../shared/transfer";
import type { TransferReport } from "./contract";

const OfferRowSchema = z.object({
	session_id: z.string(),
	case_id: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	customer_name: z.string(),
	from_agent: z.string(),
	offered_at: z.number(),
	expires_at: z.number(),
});

export class TransferOffers {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS transfer_offers (
				session_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, version INTEGER NOT NULL, to_agent TEXT,
				subject TEXT NOT NULL, severity TEXT NOT NULL, customer_name TEXT NOT NULL, from_agent TEXT NOT NULL,
				offered_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
			CREATE INDEX IF NOT EXISTS transfer_offers_by_target ON transfer_offers (to_agent);
		`);
	}

	/**
	 * Takes the report unless a newer one is known; answers the targets whose offers changed (the
	 * old one and the new one), empty if it was not news. A withdrawn offer keeps its row, without a
	 * target, so that an older report arriving after it is still known to be older.
	 */
	update(report: TransferReport): string[] {
		const before = this.sql.exec<{ to_agent: string | null; version: number }>("SELECT to_agent, version FROM transfer_offers WHERE session_id = ?", report.sessionId).toArray()[0];
		if (before && before.version > report.version) return [];
		const offer = report.offer;
		this.sql.exec(
			`INSERT INTO transfer_offers (session_id, case_id, version, to_agent, subject, severity, customer_name, from_agent, offered_at, expires_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (session_id) DO UPDATE SET version = excluded.version, to_agent = excluded.to_agent, subject = excluded.subject, severity = excluded.severity,
			   customer_name = excluded.customer_name, from_agent = excluded.from_agent, offered_at = excluded.offered_at, expires_at = excluded.expires_at`,
			report.sessionId,
			report.caseId,
			report.version,
			offer?.to ?? null,
			offer?.subject ?? "",
			offer?.severity ?? "normal",
			offer?.customerName ?? "",
			offer?.from ?? "",
			offer?.offeredAt ?? 0,
			offer?.expiresAt ?? 0,
		);
		return [...new Set([before?.to_agent ?? null, offer?.to ?? null])].filter((id) => id !== null);
	}

	/** The chats offered to this agent (by participant id) that have not expired, oldest offer first. */
	for(agentId: string, now: number): TransferOfferEntry[] {
		return this.sql
			.exec("SELECT * FROM transfer_offers WHERE to_agent = ? AND expires_at > ? ORDER BY offered_at", agentId, now)
			.toArray()
			.map((raw) => {
				const row = OfferRowSchema.parse(raw);
				return {
					sessionId: row.session_id,
					caseId: row.case_id,
					subject: row.subject,
					severity: row.severity,
					customerName: row.customer_name,
					from: row.from_agent,
					offeredAt: row.offered_at,
					expiresAt: row.expires_at,
				};
			});
	}
}
