/** SMS through a Twilio-compatible REST API: form-encoded POST, Basic auth, JSON answer. */
import { z } from "zod";
import type { SmsSettings } from "./invite-config";
import type { SendResult } from "./send-result";

const ProviderAnswer = z.object({ sid: z.string().optional(), message: z.string().optional(), status: z.union([z.string(), z.number()]).optional() });

export async function sendSms(settings: SmsSettings, to: string, body: string): Promise<SendResult> {
	const url = `${settings.apiBase.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
	let response: Response;
	try {
		response = await fetch(url, {
			method: "POST",
			headers: {
				Authorization: `Basic ${btoa(`${settings.accountSid}:${settings.authToken}`)}`,
				"Content-Type": "application/x-www-form-urlencoded",
			},
			body: new URLSearchParams({ To: to, From: settings.from, Body: body }),
			signal: AbortSignal.timeout(10_000),
		});
	} catch (error) {
		return { ok: false, detail: `SMS provider unreachable: ${error instanceof Error ? error.message : String(error)}` };
	}
	const answer = ProviderAnswer.safeParse(await response.json().catch(() => ({})));
	const said = answer.success ? answer.data : {};
	if (!response.ok) return { ok: false, detail: `SMS provider refused (${response.status}): ${said.message ?? response.statusText}` };
	return { ok: true, detail: said.sid ? `accepted as ${said.sid}` : "accepted" };
}
