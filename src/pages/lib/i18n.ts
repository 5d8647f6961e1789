/**
 * The language of the pages' own texts: the first of the browser's languages that there are
 * texts for, else English. Each language is a chunk of its own, fetched only by a browser that
 * wants it, so that no page carries all five. Messages people write are shown as written.
 */
import { codeOf } from "../../shared/language";
import { Formats } from "./format";
import type { Strings } from "./strings/en";
import type { ConsoleStrings } from "./strings/console-en";
import type { ChatStartStrings } from "./strings/chat-start-en";

/** Each language's loader, by its code; English is always there, to fall back on. */
type Catalogue<T> = { en: () => Promise<T> } & Record<string, () => Promise<T>>;


const CATALOGUE: Catalogue<Strings> = {
	en: async () => (await import("./strings/en")).en,
	de: async () => (await import("./strings/de")).de,
	es: async () => (await import("./strings/es")).es,
	fr: async () => (await import("./strings/fr")).fr,
	ja: async () => (await import("./strings/ja")).ja,
};

export interface Language {
	/** The browser's tag (de-AT, say), for dates and numbers. */
	tag: string;
	t: Strings;
	format: Formats;
}

export async function language(preferred: readonly string[]): Promise<Language> {
	for (const tag of preferred) {
		const load = CATALOGUE[codeOf(tag)];
		if (!load) continue;
		try {
			return { tag, t: await load(), format: new Formats(tag) };
		} catch {
			// Those texts could not be fetched (offline for a moment): English rather than nothing.
			break;
		}
	}
	return { tag: "en", t: await CATALOGUE.en(), format: new Formats("en") };
}

/** A page's own texts beside the shared ones, per language; English when that language's cannot be fetched. */
async function withOwn<T>(lang: Language, catalogue: Catalogue<T>): Promise<Language & { t: Strings & T }> {
	const own = await (catalogue[codeOf(lang.tag)] ?? catalogue.en)().catch(catalogue.en);
	return { ...lang, t: { ...lang.t, ...own } };
}

export interface ConsoleLanguage extends Language {
	t: Strings & ConsoleStrings;
}

const CONSOLE_CATALOGUE: Catalogue<ConsoleStrings> = {
	en: async () => (await import("./strings/console-en")).consoleEn,
	de: async () => (await import("./strings/console-de")).consoleDe,
	es: async () => (await import("./strings/console-es")).consoleEs,
	fr: async () => (await import("./strings/console-fr")).consoleFr,
	ja: async () => (await import("./strings/console-ja")).consoleJa,
};

/** The console's language: the pages' texts and the console's own, a chunk the customer's pages never fetch. */
export async function consoleLanguage(preferred: readonly string[]): Promise<ConsoleLanguage> {
	return withOwn(await language(preferred), CONSOLE_CATALOGUE);
}

export interface ChatStartLanguage extends Language {
	t: Strings & ChatStartStrings;
}

const CHAT_START_CATALOGUE: Catalogue<ChatStartStrings> = {
	en: async () => (await import("./strings/chat-start-en")).chatStartEn,
	de: async () => (await import("./strings/chat-start-de")).chatStartDe,
	es: async () => (await import("./strings/chat-start-es")).chatStartEs,
	fr: async () => (await import("./strings/chat-start-fr")).chatStartFr,
	ja: async () => (await import("./strings/chat-start-ja")).chatStartJa,
};

/** The chat page's language (/chat, where customers start a chat): the shared texts and the pre-chat form's. */
export async function chatStartLanguage(preferred: readonly string[]): Promise<ChatStartLanguage> {
	return withOwn(await language(preferred), CHAT_START_CATALOGUE);
}
