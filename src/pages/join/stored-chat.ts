/**
 * What the join page keeps in sessionStorage so that a reload resumes the chat where it was: the
 * participant token, the events seen and the last sequence number, and the messages not yet
 * acknowledged, which are sent again with the same ids. Closing the tab forgets it all; the
 * invite link still lets the person back in.
 */
import * as z from "zod/mini";
import { JoinedSchema } from "../../shared/api";
import { SessionEventSchema } from "../../shared/protocol";

const KEY = "support-chat";

const StoredChatSchema = z.object({
	joined: JoinedSchema,
	lastSeq: z.number(),
	events: z.array(SessionEventSchema),
	pending: z.array(z.object({ clientId: z.string(), text: z.string() })),
});
export type StoredChat = z.infer<typeof StoredChatSchema>;

export function loadChat(): StoredChat | null {
	try {
		const raw = sessionStorage.getItem(KEY);
		if (!raw) return null;
		const parsed = StoredChatSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		// Storage disabled or unreadable: start as if nothing was kept.
		return null;
	}
}

export function saveChat(chat: StoredChat): void {
	try {
		sessionStorage.setItem(KEY, JSON.stringify(chat));
	} catch {
		// Storage full or disabled: a reload then needs the invite link again.
	}
}
