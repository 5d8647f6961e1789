/**
 * Sessions this console started, kept in sessionStorage: the support key and invite link are only
 * handed out when a session starts, and the agent should still see them after a reload.
 */
import * as z from "zod/mini";
import { CustomerContactSchema, StartedSessionSchema } from "../../shared/api";

const StartedSchema = z.object({ started: StartedSessionSchema, contact: CustomerContactSchema });
export type Started = z.infer<typeof StartedSchema>;

const key = (sessionId: string) => `started:${sessionId}`;

export function rememberStarted(entry: Started): void {
	try {
		sessionStorage.setItem(key(entry.started.sessionId), JSON.stringify(entry));
	} catch {
		// Storage full or disabled: the card is shown now, just not after a reload.
	}
}

export function recallStarted(sessionId: string): Started | null {
	try {
		const raw = sessionStorage.getItem(key(sessionId));
		const parsed = raw ? StartedSchema.safeParse(JSON.parse(raw)) : null;
		return parsed?.success ? parsed.data : null;
	} catch {
		return null;
	}
}
