/**
 * Members and links of a session, for its participants (by their own token, as the file routes
 * take it) and agents: making an invite link for a colleague or a specialist, or one to continue
 * on another device; revoking a link; removing someone; and the list of devices and people in the
 * chat. The session decides who may do which (policy.ts); these routes only check and pass on.
 */
import { Hono } from "hono";
import { z } from "zod";
import { sessionOf } from "../bindings";
import type { LinkMade } from "../shared/api";
import { MakeLinkSchema } from "../shared/api";
import { isRefusal } from "../files/contract";
import { inviteToken, newInviteSecret } from "../security/invite-token";
import type { AppEnv } from "./context";
import { fileActor, refused } from "./file-actor";
import { inviteUrl } from "../http/public-url";
import { refuseForeignOrigin } from "./links";
import { valid } from "./validate";
import { SessionParam } from "./params";

const LinkParam = SessionParam.extend({ linkId: z.string().regex(/^[A-Za-z0-9_-]{22}$/, "not a link id") });
const PersonParam = SessionParam.extend({ participantId: z.string().min(1).max(80) });

// fileActor takes a participant's token or an agent's credentials, and the guards sit on each route
// so that the agents' guard on the rest of /api/sessions (sessions.ts) never sees these paths.
export const members = new Hono<AppEnv>()
	.post("/:sessionId/links", refuseForeignOrigin, fileActor, valid("param", SessionParam), valid("json", MakeLinkSchema), async (c) => {
		const { sessionId } = c.req.valid("param");
		const config = c.get("config");
		const secret = newInviteSecret();
		const made = await sessionOf(c.env, sessionId).makeLink(c.get("actor"), c.req.valid("json"), secret);
		if (isRefusal(made)) return refused(c, made);
		const url = inviteUrl(c.req.url, config, await inviteToken(config.keys.inviteLinks, { sessionId, secret }));
		return c.json({ link: made.link, url } satisfies LinkMade, 201);
	})
	.post("/:sessionId/links/:linkId/revoke", refuseForeignOrigin, fileActor, valid("param", LinkParam), async (c) => {
		const { sessionId, linkId } = c.req.valid("param");
		const revoked = await sessionOf(c.env, sessionId).revokeLink(c.get("actor"), linkId);
		return isRefusal(revoked) ? refused(c, revoked) : c.json(revoked);
	})
	.post("/:sessionId/people/:participantId/remove", refuseForeignOrigin, fileActor, valid("param", PersonParam), async (c) => {
		const { sessionId, participantId } = c.req.valid("param");
		const refusal = await sessionOf(c.env, sessionId).removeMember(c.get("actor"), participantId);
		return refusal ? refused(c, refusal) : c.json({ removed: participantId });
	})
	.get("/:sessionId/people", fileActor, valid("param", SessionParam), async (c) => {
		const people = await sessionOf(c.env, c.req.valid("param").sessionId).people(c.get("actor"));
		return isRefusal(people) ? refused(c, people) : c.json(people);
	});
