/**
 * A message's revisions in the log: the sender's own Edit and Delete, an edit folded into the
 * message it revises, and a delete. The customer side sees what stands, marked "edited" or
 * "deleted"; the agent side keeps the original and every earlier version, with who and when, under
 * "Earlier versions" (the correspondence is append-only: the session keeps them all).
 */
import type { SessionEvent } from "../../shared/protocol";
import { button, el, fill } from "./dom";
import type { Language } from "./i18n";
import { linkified } from "./linkify";

export type Side = "agent" | "customer";

/** One message bubble as the log drew it, kept so that its revisions can change it. */
export interface Bubble {
	item: HTMLLIElement;
	meta: HTMLElement;
	text: HTMLElement;
	/** The text shown now, and who wrote it when (for the agent side's earlier versions). */
	current: { text: string; by: string; at: number };
	tag: HTMLSpanElement | null;
	earlier: HTMLOListElement | null;
	actions: HTMLElement | null;
}

export interface OwnActions {
	edit: (seq: number, text: string) => void;
	remove: (seq: number) => void;
	/** Asks before deleting. */
	confirm: (question: string, label: string, then: () => void) => void;
}

export function bubbleOf(item: HTMLLIElement, at: number, by: string, text: string): Bubble | null {
	const meta = item.querySelector<HTMLElement>(".msg-meta");
	const body = item.querySelector<HTMLElement>(".msg-text");
	return meta && body ? { item, meta, text: body, current: { text, by, at }, tag: null, earlier: null, actions: null } : null;
}

/** "sent before you joined", on the agent side's copy of a message written while no agent was in the chat. */
export function markUnattended(lang: Language, bubble: Bubble): void {
	bubble.meta.append(el("span", { class: "msg-tag msg-unattended" }, lang.t.members.sentBeforeJoined));
}

/** The sender's Edit and Delete on their own message. */
export function addOwnActions(lang: Language, bubble: Bubble, seq: number, actions: OwnActions): void {
	const { t } = lang;
	const edit = button(t.members.edit, () => startEditing(lang, bubble, seq, actions), { class: "btn-link msg-action" });
	const remove = button(t.members.delete, () => actions.confirm(t.members.confirmDelete, t.members.delete, () => actions.remove(seq)), { class: "btn-link msg-action" });
	bubble.actions = el("span", { class: "msg-actions" }, edit, remove);
	bubble.meta.append(bubble.actions);
}

function startEditing(lang: Language, bubble: Bubble, seq: number, actions: OwnActions): void {
	const { t } = lang;
	const input = el("textarea", { class: "msg-edit", rows: 2, "aria-label": t.members.editLabel, dir: "auto" });
	input.value = bubble.current.text;
	const done = () => form.remove();
	const form = el(
		"form",
		{ class: "msg-edit-form" },
		input,
		el("div", { class: "msg-edit-actions" }, button(t.cancel, done, { class: "btn btn-quiet btn-small" }), el("button", { type: "submit", class: "btn btn-primary btn-small" }, t.members.save)),
	);
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		const text = input.value.trim();
		if (text && text !== bubble.current.text) actions.edit(seq, text);
		done();
	});
	bubble.item.append(form);
	input.focus();
}

/** Folds a revision into its message, as `side` sees it. */
export function applyRevision(lang: Language, bubble: Bubble, event: Extract<SessionEvent, { type: "message_edited" | "message_deleted" }>, side: Side): void {
	const { t, format } = lang;
	const by = event.actor?.name ?? t.someone;
	// The agent side keeps a deleted message's text in place, struck through: nothing to list.
	if (side === "agent" && bubble.current.text !== "" && event.type === "message_edited") {
		bubble.earlier ??= earlierList(lang, bubble);
		bubble.earlier.append(el("li", {}, el("span", { class: "msg-revision-by" }, t.members.revisionBy(bubble.current.by, format.when(bubble.current.at))), el("span", { dir: "auto" }, bubble.current.text)));
	}
	bubble.tag?.remove();
	if (event.type === "message_edited") {
		bubble.current = { text: event.text, by, at: event.at };
		fill(bubble.text, ...linkified(event.text));
		bubble.tag = el("span", { class: "msg-tag" }, t.members.edited);
	} else {
		// Others see that it is gone; the agent side still reads it, marked deleted.
		if (side === "customer") fill(bubble.text, t.members.deleted);
		bubble.current = { text: "", by, at: event.at };
		bubble.item.classList.add(side === "agent" ? "msg-struck" : "msg-deleted");
		bubble.tag = el("span", { class: "msg-tag" }, t.members.deletedTag);
		bubble.actions?.remove();
		bubble.actions = null;
	}
	bubble.meta.insertBefore(bubble.tag, bubble.actions);
}

function earlierList(lang: Language, bubble: Bubble): HTMLOListElement {
	const list = el("ol", { class: "msg-earlier-list" });
	bubble.item.append(el("details", { class: "msg-earlier" }, el("summary", {}, lang.t.members.earlier), list));
	return list;
}
