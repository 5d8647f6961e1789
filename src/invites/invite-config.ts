/**
 * Settings for sending invites. Each channel is optional: until its settings are there, the
 * invite endpoint answers 503 naming what is missing, and nothing pretends to have sent.
 */
import { z } from "zod";

export interface SmsSettings {
	apiBase: string;
	accountSid: string;
	authToken: string;
	from: string;
}

export interface EmailSettings {
	from: string;
	binding: SendEmail;
}

export type Configured<T> = { ok: true; settings: T } | { ok: false; missing: string[] };

const optional = z.string().trim().optional().transform((v) => (v ? v : undefined));
const SmsEnvSchema = z.object({
	SMS_API_BASE: optional,
	SMS_ACCOUNT_SID: optional,
	SMS_AUTH_TOKEN: optional,
	SMS_FROM: optional,
});
const EmailEnvSchema = z.object({ EMAIL_FROM: optional });

export function smsSettings(env: object): Configured<SmsSettings> {
	const parsed = SmsEnvSchema.safeParse(env);
	if (!parsed.success) return { ok: false, missing: ["SMS_* settings as text"] };
	const e = parsed.data;
	const missing = (["SMS_ACCOUNT_SID", "SMS_AUTH_TOKEN", "SMS_FROM"] as const).filter((name) => !e[name]);
	if (!e.SMS_ACCOUNT_SID || !e.SMS_AUTH_TOKEN || !e.SMS_FROM) return { ok: false, missing };
	return {
		ok: true,
		settings: { apiBase: e.SMS_API_BASE ?? "https://api.twilio.com", accountSid: e.SMS_ACCOUNT_SID, authToken: e.SMS_AUTH_TOKEN, from: e.SMS_FROM },
	};
}

export function emailSettings(env: Env): Configured<EmailSettings> {
	const parsed = EmailEnvSchema.safeParse(env);
	if (!parsed.success) return { ok: false, missing: ["EMAIL_FROM as text"] };
	const e = parsed.data;
	const missing = [...(e.EMAIL_FROM ? [] : ["EMAIL_FROM"]), ...(env.EMAIL ? [] : ["the send_email binding EMAIL"])];
	if (!e.EMAIL_FROM || !env.EMAIL) return { ok: false, missing };
	return { ok: true, settings: { from: e.EMAIL_FROM, binding: env.EMAIL } };
}
