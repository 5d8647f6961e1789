/**
 * Sending an invite by SMS or email from the console: a form per channel, for the customer (the
 * invite card) or for a colleague or specialist with a link of their own (the people dialog). A
 * channel this deployment has not set up says so before any click; what the invite endpoint
 * answers is shown as it is, refusals included: nothing here pretends a message was sent.
 */
import type { Invitee } from "../../shared/api";
import { InviteChannelsSchema, InviteSentSchema } from "../../shared/api";
import type { InviteChannel } from "../../shared/protocol";
import { el, field, fill } from "../lib/dom";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";

export interface SenderTexts {
	/** The field's label and what to say when it is left empty, per channel. */
	label: Record<InviteChannel, string>;
	empty: Record<InviteChannel, string>;
}

export class InviteSenders {
	readonly forms: HTMLFormElement[];
	private readonly senders = new Map<InviteChannel, { field: HTMLElement; submit: HTMLButtonElement; setup: HTMLElement }>();

	/**
	 * `invitee`: whom the invite is for (none: the customer, with their key), or what is missing
	 * before it can be sent, in words.
	 */
	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly sessionId: string,
		texts: SenderTexts,
		prefill: Partial<Record<InviteChannel, string | undefined>>,
		private readonly invitee: () => Invitee | undefined | { missing: string },
		/** After each invite that went out: the people dialog lists the new link. */
		private readonly sent: () => void = () => {},
	) {
		const c = lang.t.console;
		this.forms = [
			this.sendForm("sms", texts, el("input", { type: "tel", autocomplete: "off", placeholder: "+4915112345678", value: prefill.sms ?? "" }), c.sendSms),
			this.sendForm("email", texts, el("input", { type: "email", autocomplete: "off", placeholder: "name@example.com", value: prefill.email ?? "" }), c.sendEmail),
		];
		void this.checkChannels();
	}

	/** Marks each channel that is not set up, in words for the agent and with the settings for whoever runs it. */
	private async checkChannels(): Promise<void> {
		const answer = await call(`/api/sessions/${encodeURIComponent(this.sessionId)}/invites`, InviteChannelsSchema);
		if (!answer.ok) return;
		for (const [channel, sender] of this.senders) {
			const { missing } = answer.data[channel];
			if (missing.length === 0) continue;
			// Nothing to type into for a channel that cannot send: the notice takes the field's place.
			sender.field.hidden = true;
			sender.submit.disabled = true;
			const c = this.lang.t.console;
			fill(sender.setup, el("p", {}, c.notSetUp[channel]), el("details", {}, el("summary", {}, c.forAdmin), el("p", {}, c.setSettings(missing.join(", ")))));
			sender.setup.hidden = false;
		}
	}

	private sendForm(channel: InviteChannel, texts: SenderTexts, input: HTMLInputElement, action: string): HTMLFormElement {
		const result = el("p", { class: "send-result", role: "status" });
		const submit = el("button", { type: "submit", class: "btn" }, action);
		const setup = el("div", { class: "channel-setup", hidden: true });
		const labelled = field(texts.label[channel], input);
		this.senders.set(channel, { field: labelled, submit, setup });
		input.required = true;
		const form = el("form", { class: "invite-way invite-send", novalidate: true }, labelled, setup, submit, result);
		form.addEventListener("submit", (event) => {
			event.preventDefault();
			const to = input.value.trim();
			void this.send(channel, to ? to : null, texts.empty[channel], submit, result);
		});
		return form;
	}

	private async send(channel: InviteChannel, to: string | null, empty: string, submit: HTMLButtonElement, result: HTMLElement): Promise<void> {
		if (to === null) return this.show(result, empty, false);
		const invitee = this.invitee();
		if (invitee && "missing" in invitee) return this.show(result, invitee.missing, false);
		submit.disabled = true;
		this.show(result, this.lang.t.sending, null);
		const body = { channel, to, ...(invitee ? { invitee } : {}) };
		const answer = await call(`/api/sessions/${encodeURIComponent(this.sessionId)}/invites`, InviteSentSchema, { method: "POST", body });
		submit.disabled = false;
		const c = this.lang.t.console;
		this.show(result, answer.ok ? c.sentTo(answer.data.to) : c.notSent(answer.error), answer.ok);
		if (answer.ok) this.sent();
	}

	private show(result: HTMLElement, text: string, ok: boolean | null): void {
		result.className = ok === null ? "send-result" : `send-result ${ok ? "ok" : "error"}`;
		result.textContent = text;
	}
}
