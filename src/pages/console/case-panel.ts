/**
 * The console's "Cases" panel: open cases first, refreshed every half minute and whenever a chat
 * changes, each with its chat's unread count; and the "New case" form.
 */
import type { CaseRecord } from "../../shared/api";
import { button, el, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";
import type { CaseActions } from "./case-list";
import { CaseListSchema, caseItem, newCaseForm } from "./case-list";

export class CasePanel {
	readonly root: HTMLElement;
	private readonly list: HTMLUListElement;
	private readonly newCaseSlot = el("div", { class: "new-case-slot" });
	private readonly toggle: HTMLButtonElement;
	private cases: CaseRecord[] | null = null;
	private loading: Promise<void> | null = null;
	private again = false;

	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly actions: CaseActions,
		/** The chat on screen and each chat's unread count, for the list to show. */
		private readonly current: () => string | null,
		private readonly unread: (sessionId: string) => number,
		private readonly failed: (answer: Extract<Answer<unknown>, { ok: false }>) => void,
		private readonly announce: (text: string) => void,
	) {
		const c = lang.t.console;
		this.list = el("ul", { class: "case-list", "aria-label": c.cases });
		this.toggle = button(c.newCase, () => this.toggleNewCase(), { class: "btn btn-small", "aria-expanded": "false" });
		this.root = el(
			"section",
			{ class: "panel cases", "aria-labelledby": "cases-title" },
			el("div", { class: "section-head" }, el("h2", { id: "cases-title" }, c.cases), this.toggle),
			this.newCaseSlot,
			this.list,
		);
	}

	/** Reloads the list; calls while one is loading fold into one more load after it. */
	refresh(): Promise<void> {
		if (this.loading) {
			this.again = true;
			return this.loading;
		}
		this.loading = (async () => {
			do {
				this.again = false;
				const answer = await call("/api/cases", CaseListSchema);
				if (!answer.ok) {
					this.failed(answer);
					break;
				}
				this.cases = answer.data.cases;
				this.render();
			} while (this.again);
			this.loading = null;
		})();
		return this.loading;
	}

	/** Draws the cases as last loaded, e.g. for a new unread count. */
	render(): void {
		if (!this.cases) return;
		if (this.cases.length === 0) return fill(this.list, el("li", { class: "empty" }, this.lang.t.console.noCases));
		const current = this.current();
		fill(this.list, ...this.cases.map((record) => caseItem(record, this.lang, this.actions, current, record.session ? this.unread(record.session.sessionId) : 0)));
	}

	tick(): void {
		for (const time of this.list.querySelectorAll<HTMLElement>("[data-ago]")) time.textContent = this.lang.t.console.updated(this.lang.format.ago(Number(time.dataset.ago)));
	}

	private toggleNewCase(): void {
		const close = () => {
			fill(this.newCaseSlot);
			this.toggle.setAttribute("aria-expanded", "false");
		};
		if (this.newCaseSlot.firstChild) return close();
		const form = newCaseForm(
			this.lang,
			(record) => {
				close();
				this.announce(this.lang.t.console.caseOpened(record.caseId));
				void this.refresh();
			},
			close,
		);
		fill(this.newCaseSlot, form);
		this.toggle.setAttribute("aria-expanded", "true");
		form.querySelector("input")?.focus();
	}
}
