/**
 * The end-user's page: the invite link (/join#invite=…) drops the user straight into the chat;
 * /join alone opens the chat this browser was last in, or asks for the support key. Chats are
 * kept in localStorage, so closing the tab loses nothing and a used key typed again resumes.
 */
import "./lib/jitless";
import type { OpenedSocket } from "../client/session-client";
import { SessionClient } from "../client/session-client";
import type { JoinRequest } from "../shared/api";
import { ChallengeSchema, JoinedSchema } from "../shared/api";
import { refusalOf } from "../shared/refusals";
import { ChatPanel } from "./lib/chat-panel";
import { button, el, fill } from "./lib/dom";
import { NO_ANSWER, answerOf, call } from "./lib/http";
import { language } from "./lib/i18n";
import { challengeScreen } from "./join/challenge-screen";
import { continueAction, deviceLink } from "./join/continue-dialog";
import { pageRoot } from "./lib/page-root";
import { peopleAction } from "./lib/people-action";
import { keyForm, messageScreen } from "./join/screens";
import type { StoredChat } from "./join/stored-chat";
import { findChat, inviteOf, latestChat, saveChat } from "./join/stored-chat";

const lang = await language(navigator.languages);
const { t } = lang;
const app = pageRoot(lang, t.pageTitle);
app.removeAttribute("aria-busy");

/** How long an invite link's early join may take before the page says it is joining. */
const EARLY_WAIT_SCREEN_MS = 300;

/** The chat on screen, if any: closed before anything replaces it. */
let chatPanel: ChatPanel | null = null;

function closeChat(): void {
	chatPanel?.destroy();
	chatPanel = null;
}

function askForKey(problem: string | null = null): void {
	closeChat();
	keyForm(app, lang, (supportKey) => void join({ supportKey }), problem);
}

/** The chat this browser already holds for what the person typed or opened, if any. */
function kept(request: JoinRequest): StoredChat | null {
	return "supportKey" in request ? findChat((chat) => chat.supportKey === request.supportKey) : findChat((chat) => inviteOf(chat.joined.resumeUrl) === request.inviteToken);
}

async function join(request: JoinRequest): Promise<void> {
	closeChat();
	// The invite token stays out of the address bar, the history and any screenshot.
	if (location.hash) history.replaceState(null, "", location.pathname);
	const known = kept(request);
	// A key starts a chat once: typed again here, it resumes the chat it started.
	if (known && "supportKey" in request) return openChat(known);
	const early = earlyJoin(request);
	// The join join.html started has often been answered by the time this script runs: its wait
	// screen would only flash, and on a slow phone cost a layout of its own before the chat's (W7).
	const waiting = setTimeout(() => messageScreen(app, lang, "wait", t.joining, null, null), early ? EARLY_WAIT_SCREEN_MS : 0);
	const answer = await (early ? answerOf(early.answer, JoinedSchema) : call("/api/join", JoinedSchema, { method: "POST", body: request }));
	clearTimeout(waiting);
	if (answer.ok) {
		// The same chat opened again from its link: keep what was already seen.
		const same = known ?? findChat((chat) => chat.joined.sessionId === answer.data.sessionId);
		const supportKey = "supportKey" in request ? request.supportKey : (same?.supportKey ?? null);
		const chat: StoredChat = same ? { ...same, joined: answer.data, supportKey } : { joined: answer.data, supportKey, lastSeq: 0, events: [], pending: [] };
		saveChat(chat);
		return openChat(chat, early ? await socketFor(early, chat) : undefined);
	}
	// An answer this page could not take leaves the join socket with nobody to show its chat to.
	if (early) void early.socket.then((opened) => opened && unused(opened), () => {});
	const again = button(t.enterKey, () => askForKey(), { class: "btn btn-primary" });
	if (answer.status === NO_ANSWER) return messageScreen(app, lang, "problem", t.offlineTitle, t.offlineBody, button(t.joinButton, () => void join(request), { class: "btn btn-primary" }));
	if (answer.status === 422 && "supportKey" in request) return askForKey(t.keyMalformed);
	if ("supportKey" in request && answer.status === 428) {
		const challenge = ChallengeSchema.safeParse(answer.body);
		// Sent with a token and still challenged: the server's check of that token failed.
		const problem = request.turnstileToken === undefined ? null : t.challengeFailed;
		if (challenge.success) return challengeScreen(app, lang, challenge.data.turnstileSiteKey, problem, (turnstileToken) => void join({ ...request, turnstileToken }));
	}
	if (answer.status === 429) {
		const wait = lang.format.minutes(Math.max(1, Math.ceil((answer.retryAfterSeconds ?? 60) / 60)));
		return messageScreen(app, lang, "problem", t.tooManyTitle, t.tooManyBody(wait), again);
	}
	const refusal = refusalOf(answer.status, answer.error);
	// A chat that is over still shows how it went to whoever was in it, from this browser's token.
	if (known && (refusal === "ended" || refusal === "resolved")) return openChat(known);
	const byLink = "inviteToken" in request;
	if (refusal === "expired") return messageScreen(app, lang, "problem", byLink ? t.expiredLinkTitle : t.expiredTitle, byLink ? t.expiredLinkBody : t.expiredBody, again);
	if (refusal === "used") return messageScreen(app, lang, "problem", t.usedTitle, t.usedBody, again);
	if (refusal === "replaced") return messageScreen(app, lang, "problem", t.replacedTitle, t.replacedBody, again);
	if (refusal === "link_replaced") return messageScreen(app, lang, "problem", t.linkReplacedTitle, t.linkReplacedBody, again);
	if (refusal === "ended") return messageScreen(app, lang, "problem", t.endedTitle, t.endedBody, again);
	// Past the budget with no Turnstile configured: only an invite link gets in for now.
	if (refusal === "key_paused") return messageScreen(app, lang, "problem", t.tooManyTitle, t.keyPausedBody, again);
	if (refusal === "resolved") return messageScreen(app, lang, "problem", t.resolvedTitle, t.resolvedBody, null);
	if (refusal === "removed") return messageScreen(app, lang, "problem", t.members.removedTitle, t.members.removedBody, null);
	if (refusal === "link_revoked") return messageScreen(app, lang, "problem", t.members.linkRevokedTitle, t.members.linkRevokedBody, again);
	if (refusal === "link_expired") return messageScreen(app, lang, "problem", t.expiredLinkTitle, t.members.linkExpiredBody, again);
	return messageScreen(app, lang, "problem", t.unknownTitle, t.unknownBody, again);
}

/** The socket join.html joined on, with the chat's frames it has had since the join's answer. */
interface EarlySocket extends OpenedSocket {
	sessionId: string;
}

interface EarlyJoin {
	inviteToken: string;
	answer: Promise<Response>;
	socket: Promise<EarlySocket | null>;
}

declare global {
	interface Window {
		/** The join join.html's inline script started for the invite link the page was opened with. */
		earlyJoin?: EarlyJoin;
	}
}

/**
 * The join the page started as it arrived, if it is this one; taken once, so that trying again
 * asks anew. join.html joins on the socket (GET /api/join/ws, offering joinProtocols), and asks
 * POST /api/join with `{ inviteToken }` as this page would if that socket closes unanswered (a
 * JoinRequest by link that grew another field would need it there too).
 */
function earlyJoin(request: JoinRequest): EarlyJoin | null {
	const early = window.earlyJoin;
	window.earlyJoin = undefined;
	if (!early || !(early.answer instanceof Promise) || !(early.socket instanceof Promise)) return null;
	if ("inviteToken" in request && early.inviteToken === request.inviteToken) return early;
	// Another link by now: the chat it opened for the first one has nobody to show it to.
	void early.socket.then((opened) => opened && unused(opened), () => {});
	return null;
}

function unused(opened: OpenedSocket): void {
	opened.release();
	opened.socket.close(1000, "not needed");
}

/**
 * The early socket, for a chat this browser starts from nothing (it replays from 0, as the client
 * would ask); a chat it already holds asks from where it was, on a socket of its own.
 */
async function socketFor(early: EarlyJoin, chat: StoredChat): Promise<OpenedSocket | undefined> {
	const opened = await early.socket.catch(() => null);
	if (!opened) return undefined;
	if (opened.sessionId === chat.joined.sessionId && chat.lastSeq === 0) return opened;
	unused(opened);
	return undefined;
}

function openChat(chat: StoredChat, opened?: OpenedSocket): void {
	closeChat();
	const client = new SessionClient({ baseUrl: location.origin, joined: chat.joined, lastSeq: chat.lastSeq, pending: chat.pending, opened });
	const link = chat.joined.resumeUrl;
	const { sessionId, token, participantId, role } = chat.joined;
	// The customer brings in colleagues; everyone sees who is in the chat and on which devices.
	const people = peopleAction({ lang, sessionId, token, me: participantId, invites: role === "customer" ? ["member"] : [] });
	const panel: ChatPanel = new ChatPanel({
		lang,
		client,
		me: chat.joined.participantId,
		role,
		history: chat.events,
		actions: link ? [continueAction(lang, link, () => deviceLink(sessionId, token))] : [],
		people,
		// This browser opens its last chat on /join; once that is over, a new key is the way on.
		whenOver: () => [button(t.enterKey, () => askForKey(), { class: "btn btn-primary btn-small" })],
		onChange: () => saveChat({ ...chat, lastSeq: client.lastSeq, events: panel.events, pending: client.pendingMessages() }),
	});
	fill(app, el("main", { class: "join-chat" }, panel.root));
	chatPanel = panel;
	panel.start();
	// On a phone the keyboard would cover the chat the moment it opens; there, the person taps.
	if (matchMedia("(pointer: fine)").matches) panel.focusComposer();
}

/** A link of this device's own for another device of the same person; null if it cannot be made now. */
function inviteInAddress(): string | null {
	return new URLSearchParams(location.hash.slice(1)).get("invite");
}

// An invite link pasted into this tab's address bar changes only the fragment: no reload.
window.addEventListener("hashchange", () => {
	const invite = inviteInAddress();
	if (invite) void join({ inviteToken: invite });
});

const invite = inviteInAddress();
const latest = latestChat();
if (invite) void join({ inviteToken: invite });
else if (latest) openChat(latest);
else askForKey();
