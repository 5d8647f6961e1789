/**
 * The email a customer gets after leaving a message: what happens next. Plain text only, so that
 * nothing the customer typed is ever sent as HTML. Sent through the same binding as invites.
 */
import type { EmailSettings } from "./invite-config";
import type { SendResult } from "./send-result";

export interface Receipt {
	caseId: string;
	customerName: string;
	teamName: string;
	text: string;
}

export function receiptText(r: Receipt): string {
	return [
		`Hello ${r.customerName},`,
		"",
		`we have your message to ${r.teamName} as case ${r.caseId}. Someone will answer you at this address.`,
		"",
		"Your message:",
		r.text,
	].join("\n");
}

export async function sendReceipt(settings: EmailSettings, to: string, receipt: Receipt): Promise<SendResult> {
	try {
		const sent = await settings.binding.send({ from: settings.from, to, subject: `We have your message (${receipt.caseId})`, text: receiptText(receipt) });
		return { ok: true, detail: `accepted as ${sent.messageId}` };
	} catch (error) {
		return { ok: false, detail: `email refused: ${error instanceof Error ? error.message : String(error)}` };
	}
}
