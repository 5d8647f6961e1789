/**
 * The devices each participant came in on: every admission (a join by key or link, an agent
 * joining from the console) is one, and its id is signed into the participant token it gets. A
 * token is only as good as its device: when the participant leaves, their devices are revoked at
 * that point, so an old token can neither reconnect nor read what was written after.
 */
export type DeviceVia = "key" | "link" | "console";

export interface DeviceGrant {
	id: string;
	participantId: string;
	via: DeviceVia;
	/** For a device that came in by the invite link: the link's generation. */
	linkGeneration?: number;
}

export class Devices {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`CREATE TABLE IF NOT EXISTS devices (
			id TEXT PRIMARY KEY, participant_id TEXT NOT NULL, via TEXT NOT NULL, link_generation INTEGER, created_at INTEGER NOT NULL, revoked_at INTEGER)`);
	}

	add(grant: DeviceGrant, at: number): void {
		this.sql.exec(
			"INSERT INTO devices (id, participant_id, via, link_generation, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
			grant.id,
			grant.participantId,
			grant.via,
			grant.linkGeneration ?? null,
			at,
		);
	}

	/** Revokes every live device of the participant. */
	revokeAll(participantId: string, at: number): void {
		this.sql.exec("UPDATE devices SET revoked_at = ? WHERE participant_id = ? AND revoked_at IS NULL", at, participantId);
	}

	/** Revokes the devices that came in by an invite link older than `generation`; returns their ids. */
	revokeLinkedBefore(generation: number, at: number): string[] {
		return this.sql
			.exec<{ id: string }>("UPDATE devices SET revoked_at = ? WHERE via = 'link' AND link_generation < ? AND revoked_at IS NULL RETURNING id", at, generation)
			.toArray()
			.map((row) => row.id);
	}

	/** Revokes these devices (those that came in by a link that was revoked). */
	revoke(ids: readonly string[], at: number): void {
		for (const id of ids) this.sql.exec("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id);
	}

	/** The live devices of each participant, oldest first. */
	liveByParticipant(): Map<string, Array<{ id: string; via: DeviceVia; createdAt: number }>> {
		const byParticipant = new Map<string, Array<{ id: string; via: DeviceVia; createdAt: number }>>();
		for (const row of this.sql.exec<{ id: string; participant_id: string; via: string; created_at: number }>("SELECT id, participant_id, via, created_at FROM devices WHERE revoked_at IS NULL ORDER BY created_at, id").toArray()) {
			const via: DeviceVia = row.via === "key" || row.via === "console" ? row.via : "link";
			byParticipant.set(row.participant_id, [...(byParticipant.get(row.participant_id) ?? []), { id: row.id, via, createdAt: row.created_at }]);
		}
		return byParticipant;
	}

	/** Whether this device was granted to this participant and is not revoked. */
	live(id: string, participantId: string): boolean {
		return this.sql.exec("SELECT 1 FROM devices WHERE id = ? AND participant_id = ? AND revoked_at IS NULL", id, participantId).toArray().length > 0;
	}
}
