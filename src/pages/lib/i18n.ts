/**
 * The language of the pages' own texts: the first of the browser's languages that there are
 * texts for, else English. Messages people write are shown as written.
 */
import { Formats } from "./format";
import { de } from "./strings/de";
import type { Strings } from "./strings/en";
import { en } from "./strings/en";
import { es } from "./strings/es";
import { fr } from "./strings/fr";
import { ja } from "./strings/ja";

const CATALOG: Record<string, Strings> = { en, de, es, fr, ja };

export interface Language {
	/** The browser's tag (de-AT, say), for dates and numbers. */
	tag: string;
	t: Strings;
	format: Formats;
}

export function language(preferred: readonly string[]): Language {
	for (const tag of preferred) {
		const t = CATALOG[tag.toLowerCase().split("-")[0] ?? ""];
		if (t) return { tag, t, format: new Formats(tag) };
	}
	return { tag: "en", t: en, format: new Formats("en") };
}
