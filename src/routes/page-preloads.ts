/**
 * What a page needs before it runs, named in a `Link: rel=modulepreload` header on the page
 * itself: its scripts and the texts of the language it will pick, which it would otherwise ask
 * for only once its own script had arrived and run, a round trip later each (issue 16, W7). The
 * build lists both per page in public/build/preloads.json (scripts/build-client.mjs), and the
 * hashes of the inline scripts and styles in the page's HTML, the only inline ones its policy allows.
 */
import { z } from "zod";
import { acceptedTags, codeOf } from "../shared/language";

const Hashes = z.array(z.string().regex(/^sha256-[A-Za-z0-9+/]+=*$/)).default([]);

const PreloadsSchema = z.record(
	z.string(),
	z.object({ scripts: z.array(z.string()), languages: z.record(z.string(), z.array(z.string())), inlineScripts: Hashes, inlineStyles: Hashes }),
);
type Preloads = z.infer<typeof PreloadsSchema>;

/** Read once per isolate (a build replaces the assets and the Worker together); asked again after a miss. */
let cached: Promise<Preloads | null> | undefined;

function preloads(assets: Fetcher, base: string): Promise<Preloads | null> {
	cached ??= assets
		.fetch(new URL("/build/preloads.json", base))
		.then(async (response) => (response.ok ? PreloadsSchema.parse(await response.json()) : null))
		// Without the list no page can be answered whole (pages.ts): asked again next time.
		.catch(() => null)
		.then((list) => {
			if (list === null) cached = undefined;
			return list;
		});
	return cached;
}

/** The `Link` header for a page, or null when the build left no list for it. */
export async function preloadLink(assets: Fetcher, request: Request, page: string): Promise<string | null> {
	const listed = (await preloads(assets, request.url))?.[page];
	if (!listed) return null;
	const code = acceptedTags(request.headers.get("Accept-Language")).map(codeOf).find((c) => c in listed.languages) ?? "en";
	const urls = [...listed.scripts, ...(listed.languages[code] ?? [])];
	return urls.length === 0 ? null : urls.map((url) => `<${url}>; rel=modulepreload`).join(", ");
}

/**
 * The page's inline scripts and styles as Content-Security-Policy sources (`'sha256-…'`); null when
 * the build left no list for the page, whose policy would then block its inline code (the join
 * page's whole script and stylesheet).
 */
export async function inlineSources(assets: Fetcher, request: Request, page: string): Promise<{ scripts: string[]; styles: string[] } | null> {
	const listed = (await preloads(assets, request.url))?.[page];
	if (!listed) return null;
	const sources = (hashes: string[]) => hashes.map((hash) => `'${hash}'`);
	return { scripts: sources(listed.inlineScripts), styles: sources(listed.inlineStyles) };
}
