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
// inline scripts in the page's HTML, which the page's Content-Security-Policy allows.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pages = readdirSync(`${root}src/pages`)
	.filter((name) => name.endsWith(".ts"))
	.map((name) => name.slice(0, -3));
/** A language's texts: src/pages/lib/strings/<code>.ts, or a page's own (console-<code>.ts, chat-start-<code>.ts). */
const STRINGS = /^src\/pages\/lib\/strings\/(?:[a-z-]+-)?([a-z]{2})\.ts$/;

const results = await Promise.all(
	pages.map((page) =>
		build({
			absWorkingDir: root,
			entryPoints: [`src/pages/${page}.ts`],
			outdir: "public/build",
			bundle: true,
			minify: true,
			format: "esm",
			splitting: true,
			chunkNames: "chunks/[name]-[hash]",
			target: "es2022",
			platform: "browser",
			legalComments: "none",
			// Japanese and other texts as UTF-8, not \u escapes: half the bytes. Module scripts are always UTF-8.
			charset: "utf8",
			metafile: true,
			logLevel: "warning",
		}),
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
 * The hashes of the inline scripts in public/<page>.html (the join page starts an invite link's join
 * in one), for the page's Content-Security-Policy: the Worker allows those and no other inline script.
 */
function inlineScriptsOf(page) {
	const html = `${root}public/${page}.html`;
	if (!existsSync(html)) return [];
	// Browsers read CR LF and CR as LF before they hash: a checkout with Windows line ends hashes the same.
	const text = readFileSync(html, "utf8").replace(/\r\n?/g, "\n");
	const bodies = [...text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
	return bodies.map((body) => `sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
}

const preloads = Object.fromEntries(pages.map((page, i) => [page, { ...preloadsOf(page, results[i].metafile.outputs), inlineScripts: inlineScriptsOf(page) }]));
writeFileSync(`${root}public/build/preloads.json`, `${JSON.stringify(preloads, null, "\t")}\n`);

// Chunks are named by their content: those of earlier builds must not pile up. Only files this
// build did not write are removed, so two servers building at once (the tests start several)
// never take away what the other serves.
const outputs = Object.assign({}, ...results.map((result) => result.metafile.outputs));
const written = new Set(Object.keys(outputs).map((file) => relative(root, join(root, file))));
for (const name of readdirSync(`${root}public/build/chunks`)) {
	const file = `public/build/chunks/${name}`;
	if (!written.has(file)) rmSync(`${root}${file}`, { force: true });
}

for (const [file, output] of Object.entries(outputs)) {
	console.log(`${file}  ${(output.bytes / 1024).toFixed(1)} KiB`);
}
