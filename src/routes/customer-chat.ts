/**
 * A chat a customer starts: a session for the case, opened as an agent's would be, with the
 * customer let in at once (so it is `waiting` from the start) and, for a live chat, handed to
 * its team's router. The customer gets what a join by link gives: a participant token and the
 * link to come back by.
 */
import type { Context } from "hono";
import { caseDirectoryOf, routerOf, sessionOf } from "../bindings";
import type { CaseRecord, Joined } from "../shared/api";
import type { Actor } from "../shared/protocol";
import { newInviteSecret } from "../security/invite-token";
import { randomId128 } from "../security/random";
import type { SessionRouting } from "../routing/contract";
import { CUSTOMER_ID } from "../session/contract";
import { joined } from "../security/join-answer";
import type { AppEnv } from "./context";

/** No support key leads to such a session; the record still needs a key deadline, which the admission below beats. */
const NO_KEY_MS = 60_000;

export async function openCustomerChat(c: Context<AppEnv>, found: CaseRecord, customerName: string, routing: SessionRouting | null): Promise<Joined> {
	const config = c.get("config");
	const now = Date.now();
	const sessionId = randomId128();
	const inviteSecret = newInviteSecret();
	await caseDirectoryOf(c.env, found.caseId).registerSession(sessionId, found.caseId, now);
	const session = sessionOf(c.env, sessionId);
	await session.open({
		sessionId,
		caseId: found.caseId,
		subject: found.subject,
		severity: found.severity,
		customerName,
		createdBy: "customer",
		createdAt: now,
		inviteSecret,
		supportKey: "",
		keyExpiresAt: now + NO_KEY_MS,
		chatMaxMs: config.chatMaxMs,
		disconnectWaitMs: config.disconnectWaitMs,
		recording: config.recording,
		...(routing ? { routing } : {}),
	});
	const admission = await session.admitCustomer({ inviteSecret });
	if (!admission.ok) throw new Error(`the new chat refused its customer: ${admission.reason}`);
	if (routing) await routerOf(c.env, routing.team).register(routing.team, { sessionId, caseId: found.caseId, queue: routing.queue, customerName, subject: found.subject });
	return joined(config, c.req.url, admission);
}

export function customerActor(name: string): Actor {
	return { id: CUSTOMER_ID, role: "customer", name };
}
