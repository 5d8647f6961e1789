/**
 * "Continue on another device": a link back into this chat, to copy, and as a QR code to scan
 * with the other device's camera. It is a link of this device's own making (`makeLink`), good for
 * an hour and listed under People and devices, where revoking it disconnects the device that came
 * in by it and nothing else; the chat's own link stands in if it cannot be made. The QR code's
 * module is fetched on the first open.
 */
import { LinkMadeSchema } from "../../shared/api";
import { copyButton } from "../lib/copy-button";
import { button, el, fill, uniqueId } from "../lib/dom";
import { call } from "../lib/http";
import type { Language } from "../lib/i18n";

/** A new device link for this participant (POST …/links, kind "device"); null if it cannot be made now. */
export async function deviceLink(sessionId: string, token: string): Promise<string | null> {
	const answer = await call(`/api/sessions/${sessionId}/links`, LinkMadeSchema, { method: "POST", token, body: { kind: "device" } });
	return answer.ok ? answer.data.url : null;
}

/** The card's button, with the dialog it opens. */
export function continueAction(lang: Language, fallback: string, makeLink: () => Promise<string | null>): HTMLElement {
	const { t } = lang;
	const titleId = uniqueId("continue");
	let link = fallback;
	const input = el("input", { class: "invite-link", readonly: true, value: link, "aria-label": t.chatLinkLabel, spellcheck: "false" });
	const qr = el("div", { class: "qr-slot" });
	const row = el("div", { class: "invite-link-row" });
	const copy = copyButton(t, input);
	const dialog = el(
		"dialog",
		{ class: "dialog continue-dialog", "aria-labelledby": titleId },
		el("h2", { id: titleId }, t.continueElsewhere),
		el("p", { class: "dialog-text" }, t.continueIntro),
		qr,
		row,
		el("form", { method: "dialog", class: "dialog-actions" }, el("button", { class: "btn btn-primary" }, t.close)),
	);
	let drawn = false;
	const open = button(
		t.continueElsewhere,
		() => {
			dialog.showModal();
			if (drawn) return;
			drawn = true;
			// The link is shown once it is made, so that what is copied and what is scanned are the same.
			void makeLink()
				.then((made) => {
					link = made ?? fallback;
					input.value = link;
					fill(row, input, copy);
					return import("./qr-code");
				})
				.then(({ qrSvg }) => fill(qr, qrSvg(link, t.qrLabel)))
				.catch(() => {
					// Offline for a moment: the link is there to copy, and the next open tries again.
					drawn = false;
				});
		},
		{ class: "btn btn-quiet" },
	);
	return el("span", { class: "continue" }, open, dialog);
}
