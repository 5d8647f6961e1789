/**
 * The pinned card at the top of a chat: case id, severity, where the chat stands, the subject,
 * who is in it, the time left when it matters, and the actions. Each part is written only when
 * what it shows changes, so a stream of events does not redraw the card.
 */
import type { ParticipantView, SessionState } from "../../shared/protocol";
import { isFinished } from "../../shared/protocol";
import { el, fill } from "./dom";
import type { Language } from "./i18n";

/** The chat's own clock is shown once less than this is left: a 25-hour countdown helps nobody. */
const CHAT_CLOCK_SHOWN_MS = 3600_000;

export class CaseCard {
	readonly root: HTMLElement;
	private readonly caseId = el("span", { class: "case-id" });
	private readonly severity = el("span", { class: "badge" });
	private readonly status = el("span", { class: "pill" });
	private readonly subject = el("h2", { class: "case-subject", dir: "auto" });
	private readonly people: HTMLUListElement;
	private readonly timeLeft = el("p", { class: "time-left" });
	private peopleKey = "";
	/** Last in the list of who is in the chat, on its row where there is room. */
	private readonly peopleAction: HTMLLIElement | null;

	/** `peopleAction`: drawn beside who is in the chat (the list of devices and people, people-dialog.ts). */
	constructor(
		private readonly lang: Language,
		private readonly me: string,
		actions: HTMLElement[],
		peopleAction?: HTMLElement,
	) {
		const { t } = lang;
		this.people = el("ul", { class: "people", "aria-label": t.inThisChat });
		this.peopleAction = peopleAction ? el("li", { class: "people-more" }, peopleAction) : null;
		this.root = el(
			"header",
			{ class: "case-card", "aria-label": t.caseDetails },
			el("div", { class: "case-top" }, this.caseId, this.severity, this.status),
			this.subject,
			this.people,
			el("div", { class: "case-bottom" }, this.timeLeft, el("div", { class: "case-actions" }, ...actions)),
		);
	}

	/** `left`: the reader has left, so their own view of the chat is no longer live. */
	update(state: SessionState, left: boolean): void {
		const { t } = this.lang;
		setText(this.caseId, state.case.caseId);
		setText(this.severity, t.severity[state.case.severity]);
		setClass(this.severity, `badge sev-${state.case.severity}`);
		setText(this.status, left && !isFinished(state.status) ? t.youLeftStatus : t.status[state.status]);
		setClass(this.status, `pill st-${left && !isFinished(state.status) ? "left" : state.status}`);
		setText(this.subject, state.case.subject);
		const present = state.participants.filter((p) => p.present && !(left && p.id === this.me));
		const key = present.map((p) => `${p.id}:${p.online}`).join("|");
		if (key !== this.peopleKey) {
			this.peopleKey = key;
			fill(this.people, ...present.map((p) => this.person(p)), this.peopleAction);
		}
		this.tick(state);
	}

	/** Once a second: the time left. */
	tick(state: SessionState): void {
		setText(this.timeLeft, timeLeftText(state, this.lang));
	}

	private person(p: ParticipantView): HTMLLIElement {
		const { t } = this.lang;
		return el(
			"li",
			{ class: p.online ? "person online" : "person" },
			el("span", { class: "dot", "aria-hidden": "true" }),
			el("span", { class: "person-name", dir: "auto" }, p.name),
			el("span", { class: "person-role" }, p.id === this.me ? `${t.roles[p.role]} · ${t.you}` : t.roles[p.role]),
			el("span", { class: "visually-hidden" }, p.online ? t.online : t.offline),
		);
	}
}

function setText(node: HTMLElement, text: string): void {
	if (node.textContent !== text) node.textContent = text;
}

function setClass(node: HTMLElement, name: string): void {
	if (node.className !== name) node.className = name;
}

function timeLeftText(state: SessionState, { t, format }: Language): string {
	const now = Date.now();
	const { keyExpiresAt, agentWaitEndsAt, chatEndsAt } = state.deadlines;
	if (isFinished(state.status)) return "";
	if (state.status === "pending" && keyExpiresAt !== null) return t.keyExpiresIn(format.countdown(keyExpiresAt - now));
	if (agentWaitEndsAt !== null) return t.waitsUntil(format.when(agentWaitEndsAt));
	if (chatEndsAt !== null && chatEndsAt - now < CHAT_CLOCK_SHOWN_MS) return t.chatClosesIn(format.countdown(chatEndsAt - now));
	return "";
}
