/** Turns a session's admission into what a client needs: a signed token and where to connect. */
import type { Config } from "../config";
import type { Joined } from "../shared/api";
import type { Admission } from "../session/contract";
import { inviteToken } from "../security/invite-token";
import { signParticipantToken } from "../security/participant-token";
import { inviteUrl } from "./links";

/** Long enough to outlast the longest chat; the session refuses anyone it no longer has. */
const TOKEN_TTL_MS = 26 * 3600 * 1000;

export async function joined(config: Config, requestUrl: string, sessionId: string, admission: Extract<Admission, { ok: true }>): Promise<Joined> {
	const { actor } = admission;
	const token = await signParticipantToken(config.signingKey, {
		sid: sessionId,
		pid: actor.id,
		role: actor.role,
		name: actor.name,
		exp: Date.now() + TOKEN_TTL_MS,
	});
	return {
		sessionId,
		caseId: admission.caseId,
		participantId: actor.id,
		role: actor.role,
		token,
		webSocketPath: `/api/sessions/${sessionId}/ws`,
		resumeUrl: actor.role === "customer" ? inviteUrl(requestUrl, config, inviteToken(sessionId, admission.inviteSecret)) : null,
	};
}

export { REFUSALS } from "../shared/refusals";
