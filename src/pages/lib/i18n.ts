/**
 * The language of the pages' own texts: the first of the browser's languages that there are
 * texts for, else English. English is in every page; each other language is a chunk of its own,
 * fetched only by a browser that prefers it, so no page carries all five. Messages people write
 * are shown as written.
 */
import { Formats } from "./format";
import type { Strings } from "./strings/en";
import { en } from "./strings/en";

const OTHERS: Record<string, () => Promise<Strings>> = {
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
		const code = tag.toLowerCase().split("-")[0] ?? "";
		if (code === "en") return { tag, t: en, format: new Formats(tag) };
		const load = OTHERS[code];
		if (!load) continue;
		try {
			return { tag, t: await load(), format: new Formats(tag) };
		} catch {
			// The texts could not be fetched (offline for a moment): English rather than nothing.
			return { tag: "en", t: en, format: new Formats("en") };
		}
	}
	return { tag: "en", t: en, format: new Formats("en") };
}
