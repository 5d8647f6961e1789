/**
 * The console's right-hand side: the chat, a transcript or a problem, or nothing. The address
 * (#chat/<id>, #transcript/<id>) says what is open, so a reload or the back button returns to it;
 * each navigation is numbered, so that a slow answer for an older one is dropped.
 */
import { TranscriptSchema } from "../../shared/transcript";
import { button, el, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";
import type { MyChats } from "./my-chats";
import type { OpenChat } from "./open-chat";

/** A chat that has just ended writes its transcript a moment later: ask again a few times first. */
const TRANSCRIPT_TRIES = 6;
const TRANSCRIPT_RETRY_MS = 500;

export interface WorkspaceHost {
	readonly myChats: MyChats;
	/** Whether a view is open (on a phone it takes the screen from the lists). */
	showing(view: boolean): void;
	/** The chat on screen changed: the lists mark it, and its alarms stop. */
	changed(): void;
	seen(sessionId: string): void;
	failed(answer: Extract<Answer<unknown>, { ok: false }>): string | null;
}

export class Workspace {
	readonly root = el("main", { class: "workspace", tabindex: -1 });
	/** The chat on screen, if one is. */
	current: OpenChat | null = null;
	private navigation = 0;

	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly agent: string,
		private readonly host: WorkspaceHost,
	) {}

	go(hash: string): void {
		if (location.hash === hash) void this.route();
		else location.hash = hash;
	}

	async route(): Promise<void> {
		const [kind, sessionId] = location.hash.slice(1).split("/");
		this.navigation += 1;
		if (kind === "chat" && sessionId) return this.openChat(sessionId);
		if (kind === "transcript" && sessionId) return this.openTranscript(sessionId);
		this.showNothing();
		this.host.showing(false);
		const c = this.lang.t.console;
		fill(this.root, el("div", { class: "empty-state" }, el("h2", {}, c.noChatOpen), el("p", {}, c.noChatOpenBody)));
	}

	/** Takes the chat on screen off it; one the agent is no longer in is closed for good. */
	showNothing(): void {
		const shown = this.current;
		if (!shown) return;
		this.current = null;
		shown.hide();
		if (shown.done) this.host.myChats.forget(shown);
		this.host.changed();
	}

	private async openChat(sessionId: string): Promise<void> {
		const navigation = this.navigation;
		const known = this.host.myChats.get(sessionId);
		// After leaving, opening it again rejoins.
		if (known?.done && !known.finished) this.host.myChats.forget(known);
		if (!this.host.myChats.get(sessionId)) {
			this.showNothing();
			this.host.showing(true);
			fill(this.root, this.backButton(), el("p", { class: "loading" }, this.lang.t.console.joiningChat));
			const problem = await this.host.myChats.join(sessionId);
			if (navigation !== this.navigation) return;
			if (problem !== null) return this.showProblem(this.lang.t.console.cannotOpen, problem);
		}
		const chat = this.host.myChats.get(sessionId);
		if (!chat || navigation !== this.navigation) return;
		if (this.current !== chat) this.showNothing();
		this.host.showing(true);
		fill(this.root, this.backButton(), chat.panel.root);
		this.current = chat;
		chat.show();
		this.host.seen(sessionId);
		this.host.changed();
	}

	private async openTranscript(sessionId: string): Promise<void> {
		const navigation = this.navigation;
		const c = this.lang.t.console;
		this.showNothing();
		this.host.showing(true);
		fill(this.root, this.backButton(), el("p", { class: "loading" }, c.loadingTranscript));
		const path = `/api/sessions/${encodeURIComponent(sessionId)}/transcript`;
		let answer = await call(path, TranscriptSchema);
		for (let tries = 1; !answer.ok && answer.status === 409 && tries < TRANSCRIPT_TRIES && navigation === this.navigation; tries++) {
			await new Promise((resolve) => setTimeout(resolve, TRANSCRIPT_RETRY_MS));
			answer = await call(path, TranscriptSchema);
		}
		if (navigation !== this.navigation) return;
		if (!answer.ok) {
			const retry = button(c.tryAgain, () => void this.openTranscript(sessionId), { class: "btn btn-primary btn-small" });
			return this.showProblem(answer.status === 409 ? c.transcriptNotYet : c.noTranscript, this.host.failed(answer), retry);
		}
		// Ended chats are read now and then: their view is fetched when one is opened, not with the console.
		const { transcriptView } = await import("./transcript-view");
		fill(this.root, this.backButton(), transcriptView(answer.data, this.lang, this.agent));
	}

	showProblem(title: string, detail: string | null, action: HTMLElement | null = null): void {
		if (detail === null) return;
		this.host.showing(true);
		fill(this.root, this.backButton(), el("div", { class: "empty-state problem", role: "alert" }, el("h2", {}, title), el("p", {}, detail), action));
	}

	private backButton(): HTMLButtonElement {
		return button(this.lang.t.console.back, () => this.go("#"), { class: "btn btn-quiet btn-small back" });
	}
}
