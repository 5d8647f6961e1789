/**
 * The customer's own start of a chat (/chat): what the website widget frames and a case link
 * opens. It asks the team's pre-chat questions, starts the chat (which waits for an agent from the
 * first moment) and then shows the same chat screen as the join page, with the place in the queue
 * above it. When the team is closed, or the customer would rather not wait, it takes a message.
 *
 * Query: `team`, `lang`, `embed=1` when framed by the widget. A case token travels in the
 * fragment (#case=…), which never reaches a server log.
 */
import "./lib/jitless";
import { ChatStartedSchema, MessageLeftSchema, TeamInfoSchema } from "../shared/routing";
import type { TeamInfo } from "../shared/routing";
import type { ChatPanel } from "./lib/chat-panel";
import { button, el, fill } from "./lib/dom";
import { NO_ANSWER, call } from "./lib/http";
import type { Answer } from "./lib/http";
import { chatStartLanguage } from "./lib/i18n";
import { pageRoot } from "./lib/page-root";
import type { FormFields } from "./chat/prechat-form";
import { prechatForm } from "./chat/prechat-form";
import type { WaitingBanner } from "./chat/waiting-banner";
import { messageScreen } from "./join/screens";
import type { StoredChat } from "./join/stored-chat";
import { latestChat, saveChat } from "./join/stored-chat";

const params = new URLSearchParams(location.search);
const teamId = params.get("team") ?? "support";
const embedded = params.get("embed") === "1";
const preselectedQueue = params.get("queue");
const caseToken = new URLSearchParams(location.hash.slice(1)).get("case");
if (location.hash) history.replaceState(null, "", location.pathname + location.search);

const lang = await chatStartLanguage([...(params.get("lang") ? [params.get("lang") ?? ""] : []), ...navigator.languages]);
const { t } = lang;
const app = pageRoot(lang, t.pageTitle);
app.removeAttribute("aria-busy");

let shown: { panel: ChatPanel; banner: WaitingBanner } | null = null;

function closeChat(): void {
	shown?.panel.destroy();
	shown?.banner.destroy();
	shown = null;
}

/** In the widget's frame: a button that asks the host page to fold the chat away (widget.ts listens). */
function closeButton(): HTMLElement | null {
	if (!embedded || window.parent === window) return null;
	return button("×", () => window.parent.postMessage({ type: "support-chat:close" }, "*"), { class: "btn btn-quiet widget-close", "aria-label": t.prechat.close });
}

function show(...children: HTMLElement[]): void {
	const close = closeButton();
	if (close) app.prepend(close);
	for (const child of children) app.append(child);
}

function problemScreen(answer: Extract<Answer<unknown>, { ok: false }>, retry: () => void): void {
	const again = button(t.tryAgain, retry, { class: "btn btn-primary" });
	// A case link that cannot work does not get better by trying again: a chat without it can.
	const withoutCase = () => button(t.prechat.newChat, () => location.assign(location.pathname + location.search), { class: "btn btn-primary" });
	if (caseToken && answer.status === 401) messageScreen(app, lang, "problem", t.prechat.caseLinkTitle, t.prechat.caseLinkBody, withoutCase());
	else if (caseToken && answer.status === 409) messageScreen(app, lang, "problem", t.prechat.caseResolvedTitle, t.prechat.caseResolvedBody, withoutCase());
	else if (answer.status === NO_ANSWER) messageScreen(app, lang, "problem", t.offlineTitle, t.offlineBody, again);
	else if (answer.status === 429) messageScreen(app, lang, "problem", t.tooManyTitle, t.tooManyBody(lang.format.minutes(Math.max(1, Math.ceil((answer.retryAfterSeconds ?? 60) / 60)))), again);
	else if (answer.status === 503) messageScreen(app, lang, "problem", t.prechat.busyTitle, t.prechat.busyBody, again);
	else messageScreen(app, lang, "problem", t.unknownTitle, answer.error, again);
	show();
}

async function loadTeam(): Promise<void> {
	closeChat();
	messageScreen(app, lang, "wait", t.joining, null, null);
	const query = caseToken ? `?caseToken=${encodeURIComponent(caseToken)}` : "";
	const answer = await call(`/api/teams/${encodeURIComponent(teamId)}${query}`, TeamInfoSchema);
	if (!answer.ok) return problemScreen(answer, () => void loadTeam());
	askFor(answer.data, answer.data.open ? "chat" : "message", null);
}

function askFor(team: TeamInfo, mode: "chat" | "message", problem: string | null, typed: FormFields | null = null): void {
	closeChat();
	prechatForm(app, lang, team, mode, problem, (fields) => void (mode === "chat" ? start(team, fields) : leave(team, fields)), preselectedQueue, typed);
	show();
}

function body(team: TeamInfo, fields: FormFields): object {
	return { team: team.id, ...fields, ...(caseToken ? { caseToken } : {}) };
}

async function start(team: TeamInfo, fields: FormFields): Promise<void> {
	messageScreen(app, lang, "wait", t.prechat.starting, null, null);
	const answer = await call("/api/chats", ChatStartedSchema, { method: "POST", body: body(team, fields) });
	if (answer.ok) {
		const chat: StoredChat = { joined: answer.data, supportKey: null, lastSeq: 0, events: [], pending: [] };
		saveChat(chat);
		return openChat(chat);
	}
	// Closed since the form was drawn: the same details become a message.
	if (answer.status === 409) return askFor({ ...team, open: false }, "message", null, fields);
	if (answer.status === 428) return askFor(team, "chat", t.challengeFailed, fields);
	problemScreen(answer, () => askFor(team, "chat", null, fields));
}

async function leave(team: TeamInfo, fields: FormFields): Promise<void> {
	messageScreen(app, lang, "wait", t.prechat.starting, null, null);
	const answer = await call("/api/messages", MessageLeftSchema, { method: "POST", body: body(team, fields) });
	if (!answer.ok) return answer.status === 428 ? askFor(team, "message", t.challengeFailed, fields) : problemScreen(answer, () => askFor(team, "message", null, fields));
	left(answer.data.caseId, answer.data.replyBy);
}

function left(caseId: string, replyBy: "email" | "none"): void {
	closeChat();
	messageScreen(app, lang, "wait", t.prechat.leftTitle, replyBy === "email" ? t.prechat.leftByEmail : t.prechat.leftInCase(caseId), button(t.prechat.newChat, () => void loadTeam(), { class: "btn" }));
	app.querySelector(".spinner")?.remove();
	show();
}

/** The waiting customer would rather leave a message: the chat so far stays with the case. */
async function leaveFromChat(chat: StoredChat): Promise<void> {
	const answer = await call(`/api/chats/${chat.joined.sessionId}/leave-message`, MessageLeftSchema, { method: "POST", body: {}, token: chat.joined.token });
	if (answer.ok) left(answer.data.caseId, answer.data.replyBy);
}

/**
 * The chat screen. Its code is fetched when a chat opens, not with the page: the first thing a
 * customer sees is the pre-chat form, on a phone, and it should come up at once.
 */
async function openChat(chat: StoredChat): Promise<void> {
	const [{ SessionClient }, { ChatPanel }, { WaitingBanner }, { continueAction, deviceLink }, { peopleAction }] = await Promise.all([
		import("../client/session-client"),
		import("./lib/chat-panel"),
		import("./chat/waiting-banner"),
		import("./join/continue-dialog"),
		import("./lib/people-action"),
	]);
	closeChat();
	const client = new SessionClient({ baseUrl: location.origin, joined: chat.joined, lastSeq: chat.lastSeq, pending: chat.pending });
	const banner = new WaitingBanner(lang, client, chat.joined, () => void leaveFromChat(chat));
	const link = chat.joined.resumeUrl;
	const { sessionId, token, participantId } = chat.joined;
	const panel: ChatPanel = new ChatPanel({
		lang,
		client,
		me: participantId,
		role: "customer",
		history: chat.events,
		aside: banner.root,
		actions: link ? [continueAction(lang, link, () => deviceLink(sessionId, token))] : [],
		// The customer who started the chat brings in colleagues, as one who joined by key does.
		people: peopleAction({ lang, sessionId, token, me: participantId, invites: ["member"] }),
		whenOver: () => [button(t.prechat.newChat, () => void loadTeam(), { class: "btn btn-primary btn-small" })],
		onChange: () => saveChat({ ...chat, lastSeq: client.lastSeq, events: panel.events, pending: client.pendingMessages() }),
	});
	fill(app, el("main", { class: "join-chat" }, panel.root));
	show();
	shown = { panel, banner };
	panel.start();
	if (matchMedia("(pointer: fine)").matches) panel.focusComposer();
}

// This browser's last chat started here, if it is still on, comes back; otherwise the form.
const latest = latestChat();
if (latest && latest.joined.resumeUrl !== null && !caseToken && latest.events.every((e) => e.type !== "chat_ended")) void openChat(latest);
else void loadTeam();
