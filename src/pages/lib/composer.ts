/**
 * The message box: Enter sends, Shift+Enter is a new line; a message that is exactly /end or
 * /resolve is that command; while someone writes, the others are told (at most every few
 * seconds). Below it, who else is typing and any notice about the last send.
 */
import type { Command } from "./commands";
import { commandOf } from "./commands";
import { el, uniqueId } from "./dom";
import type { Language } from "./i18n";
import { LIMITS } from "../../shared/protocol";

const TYPING_SENT_EVERY_MS = 2500;
const NOTICE_SHOWN_MS = 6000;

export interface ComposerActions {
	/** Sends a message; false when it could not be sent now (the notice says why). */
	send(text: string): boolean;
	command(command: Command): void;
	typing(): void;
}

export class Composer {
	readonly root: HTMLDivElement;
	readonly typing = el("p", { class: "typing", "aria-live": "polite" });
	private readonly notice = el("p", { class: "composer-notice", role: "alert" });
	private readonly input: HTMLTextAreaElement;
	private readonly sendButton: HTMLButtonElement;
	private lastTypingSent = 0;
	private noticeTimer: ReturnType<typeof setTimeout> | null = null;

	/** `attach`: the file button, beside the box, and the upload's progress, above it (attachments.ts). */
	constructor(
		private readonly lang: Language,
		private readonly actions: ComposerActions,
		attach?: { button: HTMLElement; progress: HTMLElement },
	) {
		const { t } = lang;
		const inputId = uniqueId("message");
		const hintId = `${inputId}-hint`;
		this.input = el("textarea", {
			id: inputId,
			class: "composer-input",
			dir: "auto",
			rows: 1,
			maxlength: LIMITS.maxMessageChars,
			placeholder: t.messagePlaceholder,
			"aria-describedby": hintId,
			enterkeyhint: "send",
		});
		this.sendButton = el("button", { type: "submit", class: "btn btn-primary composer-send" }, t.send);
		const form = el("form", { class: "composer" }, el("label", { for: inputId, class: "visually-hidden" }, t.messageLabel), attach?.button, this.input, this.sendButton);
		form.addEventListener("submit", (event) => {
			event.preventDefault();
			this.submit();
		});
		this.input.addEventListener("keydown", (event) => {
			// Enter sends; Shift+Enter is a new line, and Enter that confirms an IME composition is neither.
			if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
				event.preventDefault();
				form.requestSubmit();
			}
		});
		this.input.addEventListener("input", () => this.sendTyping());
		this.root = el("div", { class: "composer-wrap" }, this.typing, this.notice, attach?.progress, form, el("p", { class: "composer-hint", id: hintId }, t.composerHint));
	}

	focus(): void {
		this.input.focus();
	}

	/** Closed with a reason in the box (the chat is over, the reader left), or open again. */
	setClosed(reason: string | null): void {
		this.input.disabled = this.sendButton.disabled = reason !== null;
		this.input.placeholder = reason ?? this.lang.t.messagePlaceholder;
	}

	showNotice(text: string): void {
		this.notice.textContent = text;
		if (this.noticeTimer) clearTimeout(this.noticeTimer);
		this.noticeTimer = setTimeout(() => (this.notice.textContent = ""), NOTICE_SHOWN_MS);
	}

	destroy(): void {
		if (this.noticeTimer) clearTimeout(this.noticeTimer);
	}

	/** What is in the box now, kept when the agent switches to another chat. */
	get draft(): string {
		return this.input.value;
	}

	set draft(text: string) {
		this.input.value = text;
	}

	private submit(): void {
		const text = this.input.value.trim();
		if (!text) return;
		const command = commandOf(text);
		if (command) {
			// The command asks for confirmation, as its button does.
			this.input.value = "";
			this.actions.command(command);
		} else {
			if (text.length > LIMITS.maxMessageChars) return this.showNotice(this.lang.t.tooLong(LIMITS.maxMessageChars));
			if (!this.actions.send(text)) return;
			this.input.value = "";
		}
		this.lastTypingSent = 0;
	}

	private sendTyping(): void {
		const now = Date.now();
		if (this.input.value.trim() === "" || commandOf(this.input.value) !== null || now - this.lastTypingSent < TYPING_SENT_EVERY_MS) return;
		this.lastTypingSent = now;
		this.actions.typing();
	}
}
