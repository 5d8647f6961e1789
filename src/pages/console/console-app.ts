/**
 * The agent console once signed in: My chats, the live queue and the case list on one side; the
 * chat or a transcript on the other (workspace.ts). Every chat the agent is in stays connected, on
 * screen or not, so that no customer's message goes unnoticed.
 */
import * as z from "zod/mini";
import type { CaseRecord } from "../../shared/api";
import { CaseSchema, StartedSessionSchema } from "../../shared/api";
import { ConfirmDialog } from "../lib/confirm-dialog";
import { button, el, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";
import { chime, primeSound } from "./alert-sound";
import { CasePanel } from "./case-panel";
import { ChatAlarm } from "./chat-alarm";
import { MyChats } from "./my-chats";
import { QueuePanel } from "./queue-panel";
import { RoutingPanel } from "./routing-panel";
import { rememberStarted } from "./started-sessions";
import { forgetSignedIn } from "./signed-in-hint";
import { TransferDialog } from "./transfer-dialog";
import { TransferOffersPanel } from "./transfer-offers";
import { Workspace } from "./workspace";

const CASES_REFRESH_MS = 30_000;
const SOUND_SETTING = "console-sound";

export class ConsoleApp {
	private readonly workspace: Workspace;
	private readonly layout: HTMLDivElement;
	private readonly announcer = el("p", { class: "visually-hidden", "aria-live": "polite" });
	private readonly myChats: MyChats;
	private readonly queue: QueuePanel;
	private readonly cases: CasePanel;
	private readonly alarm: ChatAlarm;
	/** Availability, capacity and the chats routing offers this agent. */
	private readonly routing: RoutingPanel;
	private readonly confirm: ConfirmDialog;
	private readonly offers: TransferOffersPanel;
	private readonly transferDialog: TransferDialog;
	private signedOutAlready = false;
	private readonly timers: ReturnType<typeof setInterval>[] = [];
	private readonly onHash = () => void this.workspace.route();

	constructor(
		private readonly root: HTMLElement,
		/** The browser's language, as on the customer's page; times in the agent's own time zone. */
		private readonly lang: ConsoleLanguage,
		private readonly agent: string,
		private readonly signedOut: (notice: string | null) => void,
	) {
		const c = lang.t.console;
		this.confirm = new ConfirmDialog(lang.t.cancel);
		this.myChats = new MyChats(lang, {
			alarm: (chat, message) => this.alarm.raise({ sessionId: chat.sessionId, title: c.newMessageFrom(chat.customerName), body: `${chat.subject}: ${message.text}` }),
			changed: (chat, status) => {
				// A chat that ended or was left off screen has nothing more to show.
				if (chat.done && chat !== this.workspace.current) queueMicrotask(() => this.myChats.forget(chat));
				this.renderLists();
				if (status) void this.cases.refresh();
			},
			open: (sessionId) => this.workspace.go(`#chat/${sessionId}`),
			transcript: (sessionId) => this.workspace.go(`#transcript/${sessionId}`),
			transfer: (sessionId) => void this.transferDialog.open(sessionId),
			failed: (answer) => this.failed(answer),
		});
		this.workspace = new Workspace(lang, agent, {
			myChats: this.myChats,
			showing: (view) => this.layout.classList.toggle("has-view", view),
			changed: () => this.renderLists(),
			seen: (sessionId) => this.alarm.seen(sessionId),
			failed: (answer) => this.failed(answer),
		});
		this.transferDialog = new TransferDialog(lang, (answer) => this.failed(answer));
		this.offers = new TransferOffersPanel(lang, {
			accepted: (sessionId) => this.workspace.go(`#chat/${sessionId}`),
			refused: (answer) => this.workspace.showProblem(lang.t.transfer.failed, this.failed(answer)),
			changed: () => this.renderTitle(),
			arrived: (offers) => {
				if (this.soundOn()) chime();
				this.announce(offers.map((offer) => lang.t.transfer.newOffer(offer.from, offer.subject)).join(" "));
			},
		});
		const sound = el("input", { type: "checkbox", checked: this.soundOn() });
		sound.addEventListener("change", () => {
			localStorage.setItem(SOUND_SETTING, sound.checked ? "on" : "off");
			if (sound.checked) primeSound();
		});
		this.alarm = new ChatAlarm(
			lang,
			() => this.soundOn(),
			(sessionId) => this.workspace.go(`#chat/${sessionId}`),
		);
		this.queue = new QueuePanel(this.lang, el("label", { class: "sound-toggle" }, sound, c.sound), {
			join: (sessionId) => this.workspace.go(`#chat/${sessionId}`),
			changed: (_count, fresh) => {
				this.renderTitle();
				if (fresh.length > 0) {
					if (this.soundOn()) chime();
					this.announce(c.newWaiting(fresh.map((entry) => entry.subject).join(", ")));
				}
				void this.cases.refresh();
			},
			signedOut: () => void this.signOut(c.sessionEnded),
			transfers: (offers) => this.offers.show(offers),
		});
		this.routing = new RoutingPanel(this.lang, {
			offered: (offer) => {
				if (this.soundOn()) chime();
				this.announce(lang.t.routing.newOffer(offer.customerName, offer.subject));
			},
			accepted: (sessionId) => this.workspace.go(`#chat/${sessionId}`),
			failed: (answer) => this.failed(answer),
		});
		this.cases = new CasePanel(
			this.lang,
			{
				start: (record) => void this.startChat(record),
				open: (sessionId) => this.workspace.go(`#chat/${sessionId}`),
				transcript: (sessionId) => this.workspace.go(`#transcript/${sessionId}`),
				resolve: (record) => void this.resolveCase(record),
			},
			() => this.workspace.current?.sessionId ?? null,
			(sessionId) => this.myChats.unread(sessionId),
			(answer) => void this.failed(answer),
			(text) => this.announce(text),
		);
		this.layout = el(
			"div",
			{ class: "console" },
			el(
				"aside",
				{ class: "sidebar" },
				this.alarm.notices,
				this.offers.root,
				this.routing.root,
				el(
					"section",
					{ class: "panel my-chats", "aria-labelledby": "my-chats-title" },
					el("div", { class: "section-head" }, el("h2", { id: "my-chats-title" }, c.myChats)),
					this.alarm.permission,
					this.myChats.root,
				),
				this.queue.root,
				this.cases.root,
			),
			this.workspace.root,
		);
	}

	start(): void {
		const c = this.lang.t.console;
		fill(
			this.root,
			el(
				"header",
				{ class: "topbar" },
				el("p", { class: "brand" }, el("span", { class: "logo", "aria-hidden": "true" }), el("span", { class: "brand-name" }, c.title)),
				el(
					"div",
					{ class: "who" },
					el("span", {}, c.signedInAs, el("strong", {}, this.agent)),
					button(c.signOut, () => void this.signOut(), { class: "btn btn-quiet btn-small" }),
					// Every console of this agent, on every device: asked first, since the others lose their place too.
					button(c.signOutEverywhere, () => this.confirm.ask(c.confirmSignOutEverywhere, c.signOutEverywhere, () => void this.signOut(null, "everywhere")), { class: "btn btn-quiet btn-small" }),
				),
			),
			this.layout,
			this.announcer,
			this.confirm.root,
			this.transferDialog.root,
		);
		this.root.addEventListener("pointerdown", primeSound, { once: true });
		window.addEventListener("hashchange", this.onHash);
		this.timers.push(setInterval(() => this.tick(), 1000), setInterval(() => void this.cases.refresh(), CASES_REFRESH_MS));
		this.queue.start();
		void this.routing.start();
		this.renderLists();
		void this.cases.refresh();
		void this.workspace.route();
		// The chats this agent was in before a reload keep counting what their customers write.
		this.myChats.restore();
	}

	private soundOn(): boolean {
		return localStorage.getItem(SOUND_SETTING) !== "off";
	}

	/** `forgetChats`: signed out on purpose, so the next sign-in does not rejoin these chats. */
	private stop(forgetChats: boolean): void {
		this.workspace.showNothing();
		this.myChats.closeAll(forgetChats);
		this.queue.stop();
		this.routing.stop();
		for (const timer of this.timers) clearInterval(timer);
		window.removeEventListener("hashchange", this.onHash);
		document.title = this.lang.t.console.title;
	}

	/** `notice`: why the sign-in ended without the agent asking (then nothing is left to revoke). */
	private async signOut(notice: string | null = null, where: "here" | "everywhere" = "here"): Promise<void> {
		// Several calls can find the sign-in expired at once; the console closes once.
		if (this.signedOutAlready) return;
		this.signedOutAlready = true;
		this.stop(notice === null);
		forgetSignedIn();
		if (notice === null) await call(where === "here" ? "/api/auth/logout" : "/api/auth/logout-everywhere", z.null(), { method: "POST" });
		history.replaceState(null, "", location.pathname);
		this.signedOut(notice);
	}

	/** A 401 means the sign-in has expired; anything else is shown where it happened. */
	private failed(answer: Extract<Answer<unknown>, { ok: false }>): string | null {
		if (answer.status === 401) {
			void this.signOut(this.lang.t.console.sessionEnded);
			return null;
		}
		return answer.error;
	}

	private async startChat(record: CaseRecord): Promise<void> {
		const answer = await call(`/api/cases/${encodeURIComponent(record.caseId)}/sessions`, StartedSessionSchema, { method: "POST" });
		if (!answer.ok) {
			this.workspace.showNothing();
			this.workspace.showProblem(this.lang.t.console.cannotStart, this.failed(answer));
			return;
		}
		rememberStarted({ started: answer.data, contact: record.customer });
		this.workspace.go(`#chat/${answer.data.sessionId}`);
		void this.cases.refresh();
	}

	private async resolveCase(record: CaseRecord): Promise<void> {
		const answer = await call(`/api/cases/${record.caseId}/resolve`, CaseSchema, { method: "POST" });
		if (!answer.ok) {
			this.workspace.showProblem(this.lang.t.console.cannotResolve, this.failed(answer));
			return;
		}
		this.announce(this.lang.t.console.caseResolved(record.caseId));
		void this.cases.refresh();
	}

	/** My chats, the marks on the queue and the cases, and the title: after anything they show changes. */
	private renderLists(): void {
		const current = this.workspace.current?.sessionId ?? null;
		this.myChats.render(current);
		this.queue.markCurrent(current);
		this.cases.render();
		this.renderTitle();
	}

	/** The tab's title counts what needs the agent: chats waiting, and messages not seen. */
	private renderTitle(): void {
		const count = this.queue.count + this.myChats.totalUnread() + this.offers.count;
		const title = this.lang.t.console.title;
		document.title = count > 0 ? `(${count}) ${title}` : title;
	}

	private announce(text: string): void {
		this.announcer.textContent = text;
	}

	private tick(): void {
		this.queue.tick();
		this.routing.tick();
		this.cases.tick();
		this.offers.tick();
	}
}
