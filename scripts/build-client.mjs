// Bundles each page's script, src/pages/<page>.ts, into public/build/<page>.js for the browser:
// minified ES2022, one file per page, no external requests; what a page loads only when asked
// (the join page's QR code) goes in a chunk of its own under public/build/chunks/. `wrangler dev`
// and `wrangler deploy` run this through wrangler.toml's [build] command.
import { readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pages = readdirSync(`${root}src/pages`).filter((name) => name.endsWith(".ts"));

const result = await build({
	absWorkingDir: root,
	entryPoints: pages.map((name) => `src/pages/${name}`),
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
});

// Chunks are named by their content: those of earlier builds must not pile up. Only files this
// build did not write are removed, so two servers building at once (the tests start several)
// never take away what the other serves.
const written = new Set(Object.keys(result.metafile.outputs).map((file) => relative(root, join(root, file))));
for (const name of readdirSync(`${root}public/build/chunks`)) {
	const file = `public/build/chunks/${name}`;
	if (!written.has(file)) rmSync(`${root}${file}`, { force: true });
}

for (const [file, output] of Object.entries(result.metafile.outputs)) {
	console.log(`${file}  ${(output.bytes / 1024).toFixed(1)} KiB`);
}
