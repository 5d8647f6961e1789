// Bundles each page's script, src/pages/<page>.ts, into public/build/<page>.js for the browser:
// minified ES2022, no external requests; what a page loads only when asked (the join page's QR
// code, each language's texts) goes in a chunk of its own under public/build/chunks/. `wrangler dev`
// and `wrangler deploy` run this through wrangler.toml's [build] command.
//
// Each page is a build of its own: split together, the pages shared half a dozen small chunks that
// a page fetched one round trip after its own script (issue 16, W7), while nobody opens two of them.
// public/build/preloads.json then lists, per page, every script it loads at once and each
// language's texts; the Worker names them in a `Link: rel=modulepreload` header (routes/pages.ts),
// so that a phone fetches them all with the page's own script. It also lists the hashes of the
// inline scripts and styles in the page's HTML, which the page's Content-Security-Policy allows.
// The join page arrives whole (WHOLE, below): src/pages/join.html is its template, and the build
// writes public/join.html with the page's script and stylesheet in it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pages = readdirSync(`${root}src/pages`)
	.filter((name) => name.endsWith(".ts"))
	.map((name) => name.slice(0, -3));
/** A language's texts: src/pages/lib/strings/<code>.ts, or a page's own (console-<code>.ts, chat-start-<code>.ts). */
const STRINGS = /^src\/pages\/lib\/strings\/(?:[a-z-]+-)?([a-z]{2})\.ts$/;

const COMMON = {
	absWorkingDir: root,
	outdir: "public/build",
	bundle: true,
	minify: true,
	format: "esm",
	target: "es2022",
	platform: "browser",
	legalComments: "none",
	// Japanese and other texts as UTF-8, not \u escapes: half the bytes. Module scripts are always UTF-8.
	charset: "utf8",
	metafile: true,
	logLevel: "warning",
};

const results = await Promise.all(
	pages.map((page) =>
		build({ ...COMMON, entryPoints: [`src/pages/${page}.ts`], splitting: true, chunkNames: "chunks/[name]-[hash]" }),
	),
);

/** What a page fetches before it runs: its script and every chunk that script imports, as URLs. */
function preloadsOf(page, outputs) {
	const url = (file) => `/${relative("public", file)}`;
	const closure = (file, into = new Set()) => {
		if (into.has(file)) return into;
		into.add(file);
		for (const use of outputs[file].imports) if (use.kind === "import-statement") closure(use.path, into);
		return into;
	};
	const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint === `src/pages/${page}.ts`);
	const scripts = closure(entry);
	const languages = {};
	for (const file of scripts) {
		for (const use of outputs[file].imports) {
			const code = use.kind === "dynamic-import" ? STRINGS.exec(outputs[use.path].entryPoint ?? "")?.[1] : undefined;
			if (code) languages[code] = [...new Set([...(languages[code] ?? []), ...[...closure(use.path)].map(url)])];
		}
	}
	return { scripts: [...scripts].map(url), languages };
}

/**
 * The hashes of the inline scripts and styles in public/<page>.html (the join page starts an invite
 * link's join in one, and arrives whole), for the page's Content-Security-Policy: the Worker allows
 * those and no other inline script or style.
 */
function inlineOf(page, whole) {
	const html = `${root}public/${page}.html`;
	// A whole page is hashed as it was written, not read back: another build may have replaced it since.
	const written = whole ?? (existsSync(html) ? readFileSync(html, "utf8") : "");
	// Browsers read CR LF and CR as LF before they hash: a checkout with Windows line ends hashes the same.
	const text = written.replace(/\r\n?/g, "\n");
	const hashes = (pattern) => [...text.matchAll(pattern)].map((match) => `sha256-${createHash("sha256").update(match[1], "utf8").digest("base64")}`);
	return { inlineScripts: hashes(/<script(?: type="module")?>([\s\S]*?)<\/script>/g), inlineStyles: hashes(/<style>([\s\S]*?)<\/style>/g) };
}

/**
 * Writes a file of the assets whole or not at all: written aside and renamed into place, so that a
 * server started by another build (the tests start several) never serves half of it.
 */
function writeAtomically(file, text) {
	const aside = `${root}.wrangler/tmp/build-client-${process.pid}-${file.replaceAll("/", "-")}`;
	mkdirSync(`${root}.wrangler/tmp`, { recursive: true });
	writeFileSync(aside, text);
	renameSync(aside, `${root}${file}`);
}

/**
 * A page that arrives whole (issue 16, W7): its script bundled with everything it imports at once
 * into one module, which goes inline into the page, and its stylesheet inline too, so that a phone
 * has all it needs to draw the chat with the page's own bytes, one round trip after asking for it,
 * where it used to ask for four files once the page had come. What the page loads only when asked
 * (a language's texts, the QR code, the file sender, the people dialog) stays in the chunks of its
 * split build, imported by their URLs. Those that need zod (the file sender, the people dialog)
 * then bring a copy of their own, about 13 KB compressed, once someone attaches a file or opens the
 * people dialog (zod keeps its settings on globalThis: the page's jitless holds for both copies).
 * Every visit fetches the page whole, where the scripts used to come from the cache: the page is
 * an invite link's, opened a few times in a chat's 25 hours.
 */
const WHOLE = ["join"];
const STYLESHEET_TAG = '<link rel="stylesheet" href="/app.css">';

async function writeWhole(page, splitOutputs) {
	const chunkOf = (entryPoint) => Object.keys(splitOutputs).find((file) => splitOutputs[file].entryPoint === entryPoint);
	const lazyChunks = {
		name: "lazy-chunks",
		setup(build) {
			build.onResolve({ filter: /.*/ }, async (args) => {
				if (args.kind !== "dynamic-import") return undefined;
				const resolved = await build.resolve(args.path, { kind: "import-statement", resolveDir: args.resolveDir, importer: args.importer });
				const chunk = chunkOf(relative(root, resolved.path));
				if (!chunk) return { errors: [{ text: `no chunk of the split build holds ${args.path}` }] };
				return { path: `/${relative("public", chunk)}`, external: true };
			});
		},
	};
	const bundled = await build({ ...COMMON, entryPoints: [`src/pages/${page}.ts`], splitting: false, write: false, metafile: false, plugins: [lazyChunks] });
	const code = bundled.outputFiles[0].text;
	const template = readFileSync(`${root}src/pages/${page}.html`, "utf8");
	const scriptTag = `<script type="module" src="/build/${page}.js"></script>`;
	if (!template.includes(scriptTag) || !template.includes(STYLESHEET_TAG)) throw new Error(`src/pages/${page}.html must load ${scriptTag} and ${STYLESHEET_TAG}`);
	const css = readFileSync(`${root}public/app.css`, "utf8");
	// Nothing in them may end their element early, or start one the parser would read instead
	// (esbuild escapes "</script" in strings, not "<!--"; the stylesheet is copied as it is).
	if (/<!--|<\/?script/i.test(code)) throw new Error(`src/pages/${page}.ts bundles "<!--" or "<script" or "</script": it cannot go inline`);
	if (/<\/style/i.test(css)) throw new Error(`public/app.css holds "</style": it cannot go inline`);
	const html = template.replace(STYLESHEET_TAG, () => `<style>${css}</style>`).replace(scriptTag, () => `<script type="module">${code.trimEnd()}</script>`);
	writeAtomically(`public/${page}.html`, html);
	// The split build's entry is in the page now: nothing asks for it.
	rmSync(`${root}public/build/${page}.js`, { force: true });
	return { page, file: `public/${page}.html`, bytes: Buffer.byteLength(html), html };
}
const wholePages = await Promise.all(WHOLE.map((page) => writeWhole(page, results[pages.indexOf(page)].metafile.outputs)));

const preloads = Object.fromEntries(
	pages.map((page, i) => {
		const { scripts, languages } = preloadsOf(page, results[i].metafile.outputs);
		// A whole page's own script is in it: only what it imports by URL is fetched.
		const whole = wholePages.find((written) => written.page === page);
		return [page, { scripts: whole ? [] : scripts, languages, ...inlineOf(page, whole?.html) }];
	}),
);
writeAtomically("public/build/preloads.json", `${JSON.stringify(preloads, null, "\t")}\n`);

// Chunks are named by their content: those of earlier builds must not pile up. Only files this
// build did not write are removed, so two servers building at once (the tests start several)
// never take away what the other serves.
const outputs = Object.assign({}, ...results.map((result) => result.metafile.outputs));
const written = new Set(Object.keys(outputs).map((file) => relative(root, join(root, file))));
for (const name of readdirSync(`${root}public/build/chunks`)) {
	const file = `public/build/chunks/${name}`;
	if (!written.has(file)) rmSync(`${root}${file}`, { force: true });
}

for (const { file, bytes } of [...Object.entries(outputs).map(([file, output]) => ({ file, bytes: output.bytes })), ...wholePages]) {
	if (existsSync(`${root}${file}`)) console.log(`${file}  ${(bytes / 1024).toFixed(1)} KiB`);
}
