/**
 * The commands a session's files make (file-calls.ts turns the file routes' calls into them), decided
 * like every other command on the draft commands.ts hands over: a finished upload is posted once, a
 * scanner's verdict releases or blocks it, and what R2 holds of a file that will never be posted
 * goes through the outbox.
 */
import type { Actor, ErrorCode, EventBody } from "../shared/protocol";
import { LIMITS } from "../shared/protocol";
import { isTerminal } from "./lifecycle";
import type { Action } from "./policy";
import type { SessionRecord } from "./session-record";

export type FileCommand =
	/** A file is complete in R2: it is posted, once (the object checks it is still unposted). */
	| { type: "file"; body: Extract<EventBody, { type: "file" }> }
	/** A scanner's verdict on a file being checked, or the deployment's rule when it gave none. */
	| { type: "file_verdict"; fileId: string; release: boolean; scanned: boolean; key: string }
	/** An upload that will never be posted (cancelled, refused, given up on): what R2 holds of it goes. */
	| { type: "discard_file"; key: string; multipartId: string | null };

/** What R2 holds of a file, to check or to remove: effects that carry what they act on. */
export type FileEffectIntent = { kind: "scan_file"; fileId: string } | { kind: "remove_file"; key: string; multipartId: string | null };

/** What a file decision may do to the draft it is part of. */
export interface FileDraft {
	readonly record: SessionRecord;
	readonly lastSeq: number;
	readonly pendingEvents: number;
	allowed(actor: Actor, action: Action): boolean;
	append(body: EventBody, actor: Actor | null): void;
	effect(intent: FileEffectIntent): void;
	fail(code: ErrorCode, message: string): void;
}

/** `actor` is null for the system's own commands (a verdict, a discard); posting needs a sender. */
export function decideFile(draft: FileDraft, actor: Actor | null, command: FileCommand): void {
	switch (command.type) {
		case "file":
			return actor ? post(draft, actor, command.body) : undefined;
		case "file_verdict":
			return verdict(draft, command);
		case "discard_file":
			return draft.effect({ kind: "remove_file", key: command.key, multipartId: command.multipartId });
	}
}

function post(draft: FileDraft, actor: Actor, body: Extract<EventBody, { type: "file" }>): void {
	if (!draft.allowed(actor, "send_file")) return;
	if (draft.lastSeq + draft.pendingEvents >= LIMITS.maxEventsPerSession) {
		return draft.fail("session_full", "this chat has reached its size limit: start a new session");
	}
	draft.append(body, actor);
	if (body.checking) draft.effect({ kind: "scan_file", fileId: body.fileId });
}

/** A verdict is the system's; once the chat is over its log is closed, so only the file's fate changes. */
function verdict(draft: FileDraft, command: Extract<FileCommand, { type: "file_verdict" }>): void {
	const { fileId, release, scanned } = command;
	if (!isTerminal(draft.record)) draft.append(release ? { type: "file_released", fileId, scanned } : { type: "file_blocked", fileId, reason: scanned ? "infected" : "not_scanned" }, null);
	if (!release) draft.effect({ kind: "remove_file", key: command.key, multipartId: null });
}
