/**
 * The language of the pages' own texts: the first of the browser's languages that there are
 * texts for, else English. Each language is a chunk of its own, fetched only by a browser that
 * wants it, so that no page carries all five. Messages people write are shown as written.
 */
import { Formats } from "./format";
import type { Strings } from "./strings/en";

const english = async (): Promise<Strings> => (await import("./strings/en")).en;

const CATALOGUE: Record<string, () => Promise<Strings>> = {
	en: english,
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
		const load = CATALOGUE[tag.toLowerCase().split("-")[0] ?? ""];
		if (!load) continue;
		try {
			return { tag, t: await load(), format: new Formats(tag) };
		} catch {
			// Those texts could not be fetched (offline for a moment): English rather than nothing.
			break;
		}
	}
	return { tag: "en", t: await english(), format: new Formats("en") };
}
