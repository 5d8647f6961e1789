/**
 * How a page's language is picked from the browser's: the first of its languages there are texts
 * for, by language code, else English. The pages pick from `navigator.languages`
 * (src/pages/lib/i18n.ts); the Worker picks the same from the request's `Accept-Language`, to
 * preload those texts with the page (src/routes/page-preloads.ts).
 */

/** The language code of a browser's tag: `de` of `de-AT`. */
export function codeOf(tag: string): string {
	return tag.toLowerCase().split("-")[0] ?? "";
}

/** The browser's tags from an `Accept-Language` header, most wanted first (ties keep their order). */
export function acceptedTags(header: string | null): string[] {
	if (!header) return [];
	return header
		.split(",")
		.map((part, order) => {
			const [tag = "", ...params] = part.trim().split(";");
			const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
			return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), order };
		})
		.filter(({ tag, weight }) => tag !== "" && tag !== "*" && weight > 0)
		.sort((a, b) => b.weight - a.weight || a.order - b.order)
		.map(({ tag }) => tag);
}
