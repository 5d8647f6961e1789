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
}

export class Devices {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`CREATE TABLE IF NOT EXISTS devices (
			id TEXT PRIMARY KEY, participant_id TEXT NOT NULL, via TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)`);
	}

	add(grant: DeviceGrant, at: number): void {
		this.sql.exec("INSERT INTO devices (id, participant_id, via, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", grant.id, grant.participantId, grant.via, at);
	}

	/** Revokes every live device of the participant. */
	revokeAll(participantId: string, at: number): void {
		this.sql.exec("UPDATE devices SET revoked_at = ? WHERE participant_id = ? AND revoked_at IS NULL", at, participantId);
	}

	/** Whether this device was granted to this participant and is not revoked. */
	live(id: string, participantId: string): boolean {
		return this.sql.exec("SELECT 1 FROM devices WHERE id = ? AND participant_id = ? AND revoked_at IS NULL", id, participantId).toArray().length > 0;
	}
}
