/**
 * What an invite says: who invites, the link, the support key and when it expires. Nothing else
 * about the case travels in an SMS or an email. HTML is built from escaped text only.
 */
import { groupedKey } from "../shared/support-key";

export interface Invitation {
	agentName: string;
	inviteUrl: string;
	joinUrl: string;
	supportKey: string;
	/** Epoch ms; null once the key has expired and only the link still works. */
	keyExpiresAt: number | null;
}

function expiry(at: number): string {
	return `${new Date(at).toISOString().slice(11, 16)} UTC`;
}

export function smsText(invite: Invitation): string {
	const key = invite.keyExpiresAt === null ? "" : ` Or enter key ${groupedKey(invite.supportKey)} at ${invite.joinUrl} (valid until ${expiry(invite.keyExpiresAt)}).`;
	return `${invite.agentName} invites you to a support chat: ${invite.inviteUrl}${key}`;
}

export const EMAIL_SUBJECT = "Your support chat is ready";

export function emailText(invite: Invitation): string {
	const lines = [`${invite.agentName} from support invites you to a live chat.`, "", `Open this link to start chatting: ${invite.inviteUrl}`];
	if (invite.keyExpiresAt !== null) {
		lines.push("", `Or go to ${invite.joinUrl} and enter the support key ${groupedKey(invite.supportKey)}.`, `The key is valid until ${expiry(invite.keyExpiresAt)}.`);
	}
	lines.push("", "Nothing to install: the chat opens in your browser.");
	return lines.join("\n");
}

export function emailHtml(invite: Invitation): string {
	const link = escapeHtml(invite.inviteUrl);
	const key =
		invite.keyExpiresAt === null
			? ""
			: `<p>Or go to <a href="${escapeHtml(invite.joinUrl)}">${escapeHtml(invite.joinUrl)}</a> and enter the support key <strong style="font-size:1.3em;letter-spacing:.1em">${escapeHtml(groupedKey(invite.supportKey))}</strong>. The key is valid until ${escapeHtml(expiry(invite.keyExpiresAt))}.</p>`;
	return `<!doctype html><html><body style="font-family:system-ui,sans-serif"><p>${escapeHtml(invite.agentName)} from support invites you to a live chat.</p><p><a href="${link}" style="display:inline-block;padding:.6em 1.2em;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none">Start the chat</a></p>${key}<p>Nothing to install: the chat opens in your browser.</p></body></html>`;
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
