/**
 * Invites by SMS or email. Each send, sent or refused, is recorded on the session for the agent
 * to see, and both the session and the agent are rate-limited so this cannot be used to spam.
 */
import { Hono } from "hono";
import { limiterOf, sessionOf } from "../bindings";
import type { InviteChannels, InviteSent } from "../shared/api";
import { InviteSchema } from "../shared/api";
import type { Context } from "hono";
import type { InviteRequest } from "../shared/api";
import type { FileRefusal } from "../files/contract";
import { isRefusal } from "../files/contract";
import { inviteToken, newInviteSecret } from "../security/invite-token";
import { emailSettings, smsSettings } from "../invites/invite-config";
import type { Configured } from "../invites/invite-config";
import type { Invitation } from "../invites/invite-message";
import { smsText } from "../invites/invite-message";
import { maskEmail, maskPhone } from "../invites/mask";
import { sendEmail } from "../invites/send-email";
import { sendSms } from "../invites/send-sms";
import type { SendResult } from "../invites/send-result";
import { agentActor, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { tooMany } from "./guesses";
import { inviteUrl, publicOrigin } from "../http/public-url";
import { valid } from "./validate";
import { SessionParam } from "./params";

export const INVITE_LIMITS = {
	perSessionPerHour: 5,
	perAgentPerMinute: 5,
} as const;

function notConfigured(channel: string, configured: Extract<Configured<unknown>, { ok: false }>): string {
	return `${channel} invites are not configured: set ${configured.missing.join(", ")}`;
}

const missing = (configured: Configured<unknown>) => (configured.ok ? [] : configured.missing);

/** Makes the invitee's own link, as the agent, for the invite to carry. */
async function memberLink(c: Context<AppEnv>, sessionId: string, invitee: NonNullable<InviteRequest["invitee"]>): Promise<{ url: string } | FileRefusal> {
	const config = c.get("config");
	const secret = newInviteSecret();
	const made = await sessionOf(c.env, sessionId).makeLink({ ...agentActor(c.get("agent")), deviceId: null }, { kind: "invite", ...invitee }, secret);
	if (isRefusal(made)) return made;
	return { url: inviteUrl(c.req.url, config, await inviteToken(config.keys.inviteLinks, { sessionId, secret })) };
}

export const invites = new Hono<AppEnv>()
	.use(requireAgent)
	// The console says before any click which channel is not set up, rather than after.
	.get("/:sessionId/invites", valid("param", SessionParam), (c) => c.json({ sms: { missing: missing(smsSettings(c.env)) }, email: { missing: missing(emailSettings(c.env)) } } satisfies InviteChannels))
	.post("/:sessionId/invites", valid("param", SessionParam), valid("json", InviteSchema), async (c) => {
		const { sessionId } = c.req.valid("param");
		const request = c.req.valid("json");
		const agent = c.get("agent");
		const session = sessionOf(c.env, sessionId);
		const details = await session.invitation();
		if (!details) {
			return (await session.describe())
				? c.json({ error: "this chat has ended: start a new session to invite someone" }, 410)
				: c.json({ error: "no such session" }, 404);
		}

		const sms = request.channel === "sms" ? smsSettings(c.env) : null;
		const email = request.channel === "email" ? emailSettings(c.env) : null;
		if (sms && !sms.ok) return c.json({ error: notConfigured("SMS", sms) }, 503);
		if (email && !email.ok) return c.json({ error: notConfigured("Email", email) }, 503);

		const limits = [
			{ bucket: `invites:session:${sessionId}`, limit: INVITE_LIMITS.perSessionPerHour, windowMs: 3600_000, who: "this session (per hour)" },
			{ bucket: `invites:agent:${agent.name}`, limit: INVITE_LIMITS.perAgentPerMinute, windowMs: 60_000, who: "you (per minute)" },
		];
		for (const { bucket, limit, windowMs, who } of limits) {
			const decision = await limiterOf(c.env, bucket).take(limit, windowMs);
			if (!decision.allowed) return tooMany(c, `too many invites for ${who}: try again later`, decision.retryAfterMs);
		}

		const config = c.get("config");
		// A colleague or a specialist gets a link of their own, and never the customer's key.
		const own = request.invitee ? await memberLink(c, sessionId, request.invitee) : null;
		if (own && "refused" in own) return c.json({ error: own.error }, own.refused);
		const invitation: Invitation = {
			agentName: agent.name,
			inviteUrl: own ? own.url : inviteUrl(c.req.url, config, await inviteToken(config.keys.inviteLinks, { sessionId, secret: details.inviteSecret })),
			joinUrl: `${publicOrigin(c.req.url, config)}/join`,
			supportKey: details.supportKey,
			keyExpiresAt: own ? null : details.keyExpiresAt,
		};
		let result: SendResult;
		let masked: string;
		if (sms?.ok) {
			result = await sendSms(sms.settings, request.to, smsText(invitation));
			masked = maskPhone(request.to);
		} else if (email?.ok) {
			result = await sendEmail(email.settings, request.to, invitation);
			masked = maskEmail(request.to);
		} else {
			throw new Error("an invite channel with no settings");
		}

		await session.note({ type: "invite_sent", channel: request.channel, to: masked, ok: result.ok, detail: result.detail }, agentActor(agent));
		if (!result.ok) return c.json({ error: result.detail }, 502);
		const sent: InviteSent = { channel: request.channel, to: masked, sentAt: Date.now(), detail: result.detail };
		return c.json(sent, 201);
	});
