/** Email through Cloudflare's send_email binding (simulated by wrangler in local dev). */
import type { EmailSettings } from "./invite-config";
import type { Invitation } from "./invite-message";
import { EMAIL_SUBJECT, emailHtml, emailText } from "./invite-message";
import type { SendResult } from "./send-result";

export async function sendEmail(settings: EmailSettings, to: string, invite: Invitation): Promise<SendResult> {
	try {
		const sent = await settings.binding.send({ from: settings.from, to, subject: EMAIL_SUBJECT, text: emailText(invite), html: emailHtml(invite) });
		return { ok: true, detail: `accepted as ${sent.messageId}` };
	} catch (error) {
		return { ok: false, detail: `email refused: ${error instanceof Error ? error.message : String(error)}` };
	}
}
