/**
 * The chats this browser has joined, kept in localStorage so that closing the tab loses nothing:
 * the participant token, the events seen and the last sequence number, the messages not yet
 * acknowledged (sent again with the same ids), and the support key it was joined with, so that
 * typing that key again here resumes the chat instead of being refused as used.
 */
import * as z from "zod/mini";
import { JoinedSchema } from "../../shared/api";
import { SessionEventSchema } from "../../shared/protocol";

const KEY = "support-chats";
/** Enough for someone helped on a few cases at once; the oldest is forgotten first. */
const KEPT = 5;

const StoredChatSchema = z.object({
	joined: JoinedSchema,
	supportKey: z.nullable(z.string()),
	lastSeq: z.number(),
	events: z.array(SessionEventSchema),
	pending: z.array(z.object({ clientId: z.string(), text: z.string() })),
});
export type StoredChat = z.infer<typeof StoredChatSchema>;

const StoredChatsSchema = z.array(StoredChatSchema);

function loadAll(): StoredChat[] {
	try {
		const raw = localStorage.getItem(KEY);
		const parsed = raw ? StoredChatsSchema.safeParse(JSON.parse(raw)) : null;
		return parsed?.success ? parsed.data : [];
	} catch {
		// Storage disabled or unreadable: start as if nothing was kept.
		return [];
	}
}

/** The chat used last, which the bare /join page opens. */
export function latestChat(): StoredChat | null {
	return loadAll()[0] ?? null;
}

export function findChat(matches: (chat: StoredChat) => boolean): StoredChat | null {
	return loadAll().find(matches) ?? null;
}

/** Keeps the chat as the latest one. */
export function saveChat(chat: StoredChat): void {
	const others = loadAll().filter((kept) => kept.joined.sessionId !== chat.joined.sessionId);
	try {
		localStorage.setItem(KEY, JSON.stringify([chat, ...others].slice(0, KEPT)));
	} catch {
		// Storage full or disabled: coming back then needs the chat link.
	}
}

/** The invite token in a chat link (…/join#invite=…). */
export function inviteOf(url: string | null): string | null {
	return url ? new URLSearchParams(new URL(url).hash.slice(1)).get("invite") : null;
}
