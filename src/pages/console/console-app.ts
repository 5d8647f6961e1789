/**
 * The agent console once signed in: the live queue and the case list on one side, the chat, the
 * invite card or a transcript on the other. The address (#chat/<id>, #transcript/<id>) says what
 * is open, so a reload or the back button returns to it.
 */
import * as z from "zod/mini";
import { SessionClient } from "../../client/session-client";
import type { CaseRecord } from "../../shared/api";
import { CaseSchema, JoinedSchema, StartedSessionSchema } from "../../shared/api";
import type { QueueEntry } from "../../shared/queue";
import { TranscriptSchema } from "../../shared/transcript";
import { ChatPanel } from "../lib/chat-panel";
import { button, el, fill } from "../lib/dom";
import { Formats } from "../lib/format";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { Language } from "../lib/i18n";
import { en } from "../lib/strings/en";
import { chime, primeSound } from "./alert-sound";
import { CaseListSchema, caseItem, newCaseForm } from "./case-list";
import { InviteCard } from "./invite-card";
import { QueueFeed } from "./queue-feed";
import { queueItem, waitedText } from "./queue-list";
import { recallStarted, rememberStarted } from "./started-sessions";
import { transcriptView } from "./transcript-view";

const TITLE = "Support console";
const CASES_REFRESH_MS = 30_000;
const SOUND_SETTING = "console-sound";
/** A chat that has just ended writes its transcript a moment later: ask again a few times first. */
const TRANSCRIPT_TRIES = 6;
const TRANSCRIPT_RETRY_MS = 500;

interface OpenView {
	sessionId: string;
	client: SessionClient | null;
	panel: ChatPanel | null;
	invite: InviteCard | null;
}

export class ConsoleApp {
	/** Agents work in English; times follow the browser's own locale and time zone. */
	private readonly lang: Language = { tag: "en", t: en, format: new Formats(navigator.language) };
	private readonly queueList = el("ul", { class: "queue-list", "aria-label": "Chats waiting for an agent" });
	private readonly queueCount = el("span", { class: "count" }, "0");
	private readonly queueLive = el("p", { class: "queue-live", role: "status" });
	private readonly caseList = el("ul", { class: "case-list", "aria-label": "Cases" });
	private readonly newCaseSlot = el("div", { class: "new-case-slot" });
	private readonly workspace = el("main", { class: "workspace", tabindex: -1 });
	private readonly layout: HTMLDivElement;
	private readonly announcer = el("p", { class: "visually-hidden", "aria-live": "polite" });
	private readonly feed: QueueFeed;
	private queueIds: Set<string> | null = null;
	private view: OpenView | null = null;
	/** Bumped on every navigation, so that a slow answer for an older one is dropped. */
	private navigation = 0;
	private casesLoading: Promise<void> | null = null;
	private casesAgain = false;
	private signedOutAlready = false;
	private readonly timers: ReturnType<typeof setInterval>[] = [];
	private readonly onHash = () => void this.route();

	constructor(
		private readonly root: HTMLElement,
		private readonly agent: string,
		private readonly signedOut: (notice: string | null) => void,
	) {
		this.feed = new QueueFeed(
			(queue) => this.showQueue(queue),
			(live) => {
				this.queueLive.textContent = live ? "" : "Reconnecting to the queue…";
			},
		);
		const sound = el("input", { type: "checkbox", checked: localStorage.getItem(SOUND_SETTING) !== "off" });
		sound.addEventListener("change", () => {
			localStorage.setItem(SOUND_SETTING, sound.checked ? "on" : "off");
			if (sound.checked) primeSound();
		});
		this.layout = el(
			"div",
			{ class: "console" },
			el(
				"aside",
				{ class: "sidebar" },
				el(
					"section",
					{ class: "panel queue", "aria-labelledby": "queue-title" },
					el("div", { class: "section-head" }, el("h2", { id: "queue-title" }, "Waiting for an agent ", this.queueCount), el("label", { class: "sound-toggle" }, sound, "Sound")),
					this.queueLive,
					this.queueList,
				),
				el(
					"section",
					{ class: "panel cases", "aria-labelledby": "cases-title" },
					el("div", { class: "section-head" }, el("h2", { id: "cases-title" }, "Cases"), button("New case", () => this.toggleNewCase(), { class: "btn btn-small", "aria-expanded": "false", id: "new-case-toggle" })),
					this.newCaseSlot,
					this.caseList,
				),
			),
			this.workspace,
		);
	}

	start(): void {
		fill(
			this.root,
			el(
				"header",
				{ class: "topbar" },
				el("p", { class: "brand" }, el("span", { class: "logo", "aria-hidden": "true" }), TITLE),
				el("div", { class: "who" }, el("span", {}, "Signed in as ", el("strong", {}, this.agent)), button("Sign out", () => void this.signOut(), { class: "btn btn-quiet btn-small" })),
			),
			this.layout,
			this.announcer,
		);
		this.root.addEventListener("pointerdown", primeSound, { once: true });
		window.addEventListener("hashchange", this.onHash);
		this.timers.push(setInterval(() => this.tick(), 1000), setInterval(() => void this.refreshCases(), CASES_REFRESH_MS));
		this.feed.start();
		void this.refreshCases();
		void this.route();
	}

	private stop(): void {
		this.closeView();
		this.feed.stop();
		for (const timer of this.timers) clearInterval(timer);
		window.removeEventListener("hashchange", this.onHash);
		document.title = TITLE;
	}

	private async signOut(notice: string | null = null): Promise<void> {
		// Several calls can find the sign-in expired at once; the console closes once.
		if (this.signedOutAlready) return;
		this.signedOutAlready = true;
		this.stop();
		if (notice === null) await call("/api/auth/logout", z.null(), { method: "POST" });
		history.replaceState(null, "", location.pathname);
		this.signedOut(notice);
	}

	/** A 401 means the sign-in has expired; anything else is shown where it happened. */
	private failed(answer: Extract<Answer<unknown>, { ok: false }>): string | null {
		if (answer.status === 401) {
			void this.signOut("Your session has ended: sign in again.");
			return null;
		}
		return answer.error;
	}

	private go(hash: string): void {
		if (location.hash === hash) void this.route();
		else location.hash = hash;
	}

	private async route(): Promise<void> {
		const [kind, sessionId] = location.hash.slice(1).split("/");
		if (kind === "chat" && sessionId) return this.openChat(sessionId);
		if (kind === "transcript" && sessionId) return this.openTranscript(sessionId);
		this.closeView();
		this.layout.classList.remove("has-view");
		fill(this.workspace, el("div", { class: "empty-state" }, el("h2", {}, "No chat open"), el("p", {}, "Join a chat from the queue, or open a case and start a chat.")));
		this.markCurrent();
	}

	private beginView(sessionId: string, loading: string): number {
		this.closeView();
		this.view = { sessionId, client: null, panel: null, invite: null };
		this.layout.classList.add("has-view");
		fill(this.workspace, this.backButton(), el("p", { class: "loading" }, loading));
		this.markCurrent();
		this.navigation += 1;
		return this.navigation;
	}

	private async openChat(sessionId: string): Promise<void> {
		// Already open and connected: nothing to do. After leaving, opening it again rejoins.
		if (this.view?.sessionId === sessionId && this.view.client && this.view.client.status !== "closed") return;
		const navigation = this.beginView(sessionId, "Joining the chat…");
		const joined = await call(`/api/sessions/${encodeURIComponent(sessionId)}/agent`, JoinedSchema, { method: "POST" });
		if (navigation !== this.navigation) return;
		if (!joined.ok) return this.showProblem("This chat cannot be opened", this.failed(joined));

		const client = new SessionClient({ baseUrl: location.origin, joined: joined.data });
		const remembered = recallStarted(sessionId);
		const invite = remembered ? new InviteCard(remembered.started, remembered.contact, this.lang.format) : null;
		const panel = new ChatPanel({
			lang: this.lang,
			client,
			me: joined.data.participantId,
			role: "agent",
			aside: invite?.root,
			whenOver: () => [button("View transcript", () => this.go(`#transcript/${sessionId}`), { class: "btn btn-primary btn-small" })],
		});
		let folded = false;
		client.subscribe((update) => {
			if (!folded && invite && client.state && client.state.status !== "pending") {
				folded = true;
				invite.collapse();
			}
			if (update.type === "presence" || (update.type === "event" && update.event.type === "chat_ended")) void this.refreshCases();
		});
		this.view = { sessionId, client, panel, invite };
		fill(this.workspace, this.backButton(), panel.root);
		panel.start();
		this.markCurrent();
	}

	private async openTranscript(sessionId: string): Promise<void> {
		const navigation = this.beginView(sessionId, "Loading the transcript…");
		const path = `/api/sessions/${encodeURIComponent(sessionId)}/transcript`;
		let answer = await call(path, TranscriptSchema);
		for (let tries = 1; !answer.ok && answer.status === 409 && tries < TRANSCRIPT_TRIES && navigation === this.navigation; tries++) {
			await new Promise((resolve) => setTimeout(resolve, TRANSCRIPT_RETRY_MS));
			answer = await call(path, TranscriptSchema);
		}
		if (navigation !== this.navigation) return;
		if (!answer.ok) {
			const retry = button("Try again", () => void this.openTranscript(sessionId), { class: "btn btn-primary btn-small" });
			return this.showProblem(answer.status === 409 ? "The transcript is not written yet" : "No transcript", this.failed(answer), retry);
		}
		fill(this.workspace, this.backButton(), transcriptView(answer.data, this.lang, this.agent));
	}

	private showProblem(title: string, detail: string | null, action: HTMLElement | null = null): void {
		if (detail === null) return;
		fill(this.workspace, this.backButton(), el("div", { class: "empty-state problem", role: "alert" }, el("h2", {}, title), el("p", {}, detail), action));
	}

	private closeView(): void {
		this.view?.panel?.destroy();
		this.view?.invite?.destroy();
		this.view = null;
	}

	private backButton(): HTMLButtonElement {
		return button("← All chats and cases", () => this.go("#"), { class: "btn btn-quiet btn-small back" });
	}

	private async startChat(record: CaseRecord): Promise<void> {
		const answer = await call(`/api/cases/${encodeURIComponent(record.caseId)}/sessions`, StartedSessionSchema, { method: "POST" });
		if (!answer.ok) {
			this.closeView();
			this.layout.classList.add("has-view");
			this.showProblem("The chat could not be started", this.failed(answer));
			return;
		}
		rememberStarted({ started: answer.data, contact: record.customer });
		this.go(`#chat/${answer.data.sessionId}`);
		void this.refreshCases();
	}

	private showQueue(queue: QueueEntry[]): void {
		const before = this.queueIds;
		const fresh = queue.filter((entry) => before !== null && !before.has(entry.sessionId));
		this.queueIds = new Set(queue.map((entry) => entry.sessionId));
		this.queueCount.textContent = String(queue.length);
		document.title = queue.length > 0 ? `(${queue.length}) ${TITLE}` : TITLE;
		if (queue.length === 0) fill(this.queueList, el("li", { class: "empty" }, "No one is waiting."));
		else fill(this.queueList, ...queue.map((entry) => queueItem(entry, this.lang, (id) => this.go(`#chat/${id}`), fresh.includes(entry))));
		if (fresh.length > 0) {
			if (localStorage.getItem(SOUND_SETTING) !== "off") chime();
			this.announce(`New chat waiting: ${fresh.map((entry) => entry.subject).join(", ")}`);
		}
		void this.refreshCases();
	}

	/** Reloads the case list; calls while one is loading fold into one more load after it. */
	private async resolveCase(record: CaseRecord): Promise<void> {
		const answer = await call(`/api/cases/${record.caseId}/resolve`, CaseSchema, { method: "POST" });
		if (!answer.ok) {
			this.layout.classList.add("has-view");
			this.showProblem("The case could not be resolved", this.failed(answer));
			return;
		}
		this.announce(`Case ${record.caseId} resolved.`);
		void this.refreshCases();
	}

	private refreshCases(): Promise<void> {
		if (this.casesLoading) {
			this.casesAgain = true;
			return this.casesLoading;
		}
		this.casesLoading = (async () => {
			do {
				this.casesAgain = false;
				const answer = await call("/api/cases", CaseListSchema);
				if (!answer.ok) {
					this.failed(answer);
					break;
				}
				this.showCases(answer.data.cases);
			} while (this.casesAgain);
			this.casesLoading = null;
		})();
		return this.casesLoading;
	}

	private showCases(cases: CaseRecord[]): void {
		const actions = {
			start: (record: CaseRecord) => void this.startChat(record),
			open: (sessionId: string) => this.go(`#chat/${sessionId}`),
			transcript: (sessionId: string) => this.go(`#transcript/${sessionId}`),
			resolve: (record: CaseRecord) => void this.resolveCase(record),
		};
		if (cases.length === 0) fill(this.caseList, el("li", { class: "empty" }, "No cases yet. Open one with New case."));
		else fill(this.caseList, ...cases.map((record) => caseItem(record, this.lang, actions, this.view?.sessionId ?? null)));
	}

	private toggleNewCase(): void {
		const toggle = this.layout.querySelector("#new-case-toggle");
		const close = () => {
			fill(this.newCaseSlot);
			toggle?.setAttribute("aria-expanded", "false");
		};
		if (this.newCaseSlot.firstChild) return close();
		const form = newCaseForm(
			this.lang,
			(record) => {
				close();
				this.announce(`Case ${record.caseId} opened.`);
				void this.refreshCases();
			},
			close,
		);
		fill(this.newCaseSlot, form);
		toggle?.setAttribute("aria-expanded", "true");
		form.querySelector("input")?.focus();
	}

	private markCurrent(): void {
		const current = this.view?.sessionId ?? null;
		for (const item of this.queueList.querySelectorAll<HTMLElement>("[data-session]")) item.classList.toggle("current", item.dataset.session === current);
	}

	private announce(text: string): void {
		this.announcer.textContent = text;
	}

	private tick(): void {
		for (const waited of this.queueList.querySelectorAll<HTMLElement>("[data-since]")) waited.textContent = waitedText(this.lang, Number(waited.dataset.since));
		for (const time of this.caseList.querySelectorAll<HTMLElement>("[data-ago]")) time.textContent = this.lang.format.ago(Number(time.dataset.ago));
	}
}
