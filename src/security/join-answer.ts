/**
 * Turns a session's admission into what a client needs: a signed token and where to connect.
 * The Worker answers key and agent joins with it; a session answers an invite link's join socket
 * with it itself (session/customer-door.ts), so that joining by link is one call to the session.
 */
import type { Config } from "../config";
import type { Joined } from "../shared/api";
import type { Admission } from "../session/contract";
import { inviteUrl } from "../http/public-url";
import { inviteToken } from "./invite-token";
import { signParticipantToken } from "./participant-token";

/** Long enough to outlast the longest chat; the session refuses anyone it no longer has. */
const TOKEN_TTL_MS = 26 * 3600 * 1000;

/** `signIn`: the console sign-in an agent joined with, which the token then dies with. */
export async function joined(config: Config, requestUrl: string, admission: Extract<Admission, { ok: true }>, signIn: string | null = null): Promise<Joined> {
	const { actor, sessionId } = admission;
	const now = Date.now();
	const token = await signParticipantToken(config.keys.participantTokens, {
		sid: sessionId,
		pid: actor.id,
		role: actor.role,
		name: actor.name,
		did: admission.deviceId,
		iat: now,
		exp: now + TOKEN_TTL_MS,
		...(signIn === null ? {} : { signIn }),
	});
	return {
		sessionId,
		caseId: admission.caseId,
		participantId: actor.id,
		role: actor.role,
		token,
		webSocketPath: `/api/sessions/${sessionId}/ws`,
		// Everyone who came by a key or a link has one to come back by; agents come back from the console.
		resumeUrl: actor.role !== "agent" ? inviteUrl(requestUrl, config, await inviteToken(config.keys.inviteLinks, { sessionId, secret: admission.inviteSecret })) : null,
	};
}
