/**
 * The line under the case card that says where the chat stands, for the reader's side: waiting,
 * who they are chatting with, the agent away, and every way it can end, each named for what it is;
 * and the element that shows it.
 */
import type { Role, SessionState } from "../../shared/protocol";
import { el, fill } from "./dom";
import type { Language } from "./i18n";

export type Banner = { tone: "info" | "ok" | "warn" | "done"; title: string; body: string | null };

/** After the reader left: until when the customer can come back, once the session has said. */
export function leftBanner({ t, format }: Language, waitUntil: number | null, leftAt: number): Banner {
	if (waitUntil === null) return { tone: "done", title: t.youLeftTitle, body: t.youLeftSoon };
	return { tone: "done", title: t.youLeftTitle, body: t.youLeftBody(format.when(waitUntil), format.duration(waitUntil - leftAt)) };
}

/** After the reader handed the chat over: to whom, or that it waits in the queue. */
export function handoverBanner({ t }: Language, to: string | null): Banner {
	return { tone: "done", title: t.transfer.youHandedOverTitle, body: to === null ? t.transfer.youQueuedBody : t.transfer.youHandedOverBody(to) };
}

export function bannerFor(state: SessionState, role: Role, { t, format }: Language): Banner | null {
	// A colleague the customer invited stands where the customer does.
	const customer = role === "customer" || role === "member";
	// While nobody from support is there: whether the agent will see what is written meanwhile.
	const waitingBody = `${t.waitingBody} ${state.recording === "strict" ? t.members.recordingStrict : t.members.recordingShow}`;
	switch (state.status) {
		case "pending":
			return customer ? { tone: "info", title: t.waitingTitle, body: waitingBody } : { tone: "info", title: t.pendingTitle, body: t.pendingBody };
		case "waiting": {
			if (!customer) return { tone: "warn", title: t.customerWaitingTitle, body: null };
			const waitUntil = state.deadlines.agentWaitEndsAt;
			return waitUntil !== null
				? { tone: "warn", title: t.agentLeftTitle, body: t.agentLeftBody(format.when(waitUntil)) }
				: { tone: "info", title: t.waitingTitle, body: waitingBody };
		}
		case "active": {
			if (!customer) return null;
			const agents = state.participants.filter((p) => p.role === "agent" && p.present).map((p) => p.name);
			return { tone: "ok", title: t.activeTitle(agents.join(", ")), body: null };
		}
		case "ended":
			return { tone: "done", title: t.chatEndedTitle, body: t.chatEndedBody };
		case "resolved":
			return { tone: "ok", title: t.resolvedTitle, body: customer ? t.resolvedBody : null };
		case "expired":
			return { tone: "warn", title: t.keyExpiredTitle, body: customer ? t.keyExpiredBody : null };
	}
}

/** The banner's element: redrawn only when it says something new, so a screen reader hears it once. */
export class BannerView {
	readonly root = el("div", { class: "banner", role: "status", hidden: true });

	/** `actions`: controls under it (the console's transcript button once the chat is over). */
	show(banner: Banner | null, actions: HTMLElement[] | null): void {
		this.root.hidden = banner === null;
		if (!banner) return;
		const key = `${banner.tone}|${banner.title}|${banner.body ?? ""}`;
		if (this.root.dataset.key === key) return;
		this.root.dataset.key = key;
		this.root.className = `banner banner-${banner.tone}`;
		fill(
			this.root,
			el("strong", { class: "banner-title" }, banner.title),
			banner.body ? el("span", { class: "banner-body" }, banner.body) : null,
			actions ? el("div", { class: "banner-actions" }, ...actions) : null,
		);
	}
}
