/**
 * Telling the agent that a customer wrote in a chat they are not looking at: the chime, a desktop
 * notification when the browser allows them (asked once, from a button, since browsers only ask
 * after a click), and otherwise a notice in the page that stays until it is opened or dismissed.
 */
import { button, el, fill } from "../lib/dom";
import type { ConsoleLanguage } from "../lib/i18n";
import { chime } from "./alert-sound";

export interface Alarm {
	sessionId: string;
	title: string;
	body: string;
}

export class ChatAlarm {
	/** The in-page notices, for a browser without desktop notifications. */
	readonly notices = el("div", { class: "alarm-notices", role: "alert" });
	/** The button that asks for desktop notifications, while the browser has not been asked. */
	readonly permission = el("div", { class: "notify-permission" });

	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly soundOn: () => boolean,
		private readonly open: (sessionId: string) => void,
	) {
		this.renderPermission();
	}

	raise(alarm: Alarm): void {
		if (this.soundOn()) chime();
		if (supported() && Notification.permission === "granted") {
			const shown = new Notification(alarm.title, { body: alarm.body, tag: alarm.sessionId });
			shown.addEventListener("click", () => {
				window.focus();
				this.open(alarm.sessionId);
				shown.close();
			});
			return;
		}
		this.notices.querySelector(`[data-session="${CSS.escape(alarm.sessionId)}"]`)?.remove();
		const notice: HTMLDivElement = el(
			"div",
			{ class: "alarm-notice", "data-session": alarm.sessionId },
			el("p", {}, el("strong", {}, alarm.title), " ", el("span", { dir: "auto" }, alarm.body)),
			button(this.lang.t.console.open, () => {
				notice.remove();
				this.open(alarm.sessionId);
			}, { class: "btn btn-primary btn-small" }),
			button(this.lang.t.console.dismiss, () => notice.remove(), { class: "btn btn-quiet btn-small" }),
		);
		this.notices.prepend(notice);
	}

	/** The chat is on screen now: its notice has done its work. */
	seen(sessionId: string): void {
		this.notices.querySelector(`[data-session="${CSS.escape(sessionId)}"]`)?.remove();
	}

	private renderPermission(): void {
		const c = this.lang.t.console;
		if (!supported()) return fill(this.permission, el("p", { class: "field-hint" }, c.noNotifications));
		if (Notification.permission === "default") {
			return fill(
				this.permission,
				button(c.turnOnNotifications, () => void Notification.requestPermission().then(() => this.renderPermission()), { class: "btn btn-small" }),
			);
		}
		fill(this.permission, Notification.permission === "denied" ? el("p", { class: "field-hint" }, c.notificationsBlocked) : null);
	}
}

function supported(): boolean {
	return "Notification" in window;
}
