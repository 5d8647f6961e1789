/**
 * Runs a Worker in the same workerd that `wrangler dev` uses, through Miniflare's API, without
 * wrangler's development proxy: one workerd process answers the port. The Worker is bundled by
 * wrangler itself (`deploy --dry-run`), and its bindings come from its wrangler.toml and .dev.vars.
 *
 *   tsx bench/miniflare-server.ts --config wrangler.toml --port 8787 --persist-to DIR
 *     [--inspector-port N] [--var NAME:VALUE]...
 *
 * With `--var BENCH_SQL_METER:on` (the cost workload, W6) the objects count their SQLite rows
 * (src/metering/sql-meter.ts) and a tail Worker prints a line per invocation of the Worker and of
 * its Durable Objects (bench/metering/tail-worker.js).
 *
 * Prints `listening <url>` once it answers, and runs until it is sent SIGTERM.
 */
import { execFileSync } from "node:child_process";
import { basename, extname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

// The Miniflare (and so the workerd) that wrangler itself resolves, not another copy in node_modules.
const { Miniflare, convertV4MiniflareOptions } = createRequire(createRequire(import.meta.url).resolve("wrangler"))("miniflare") as typeof import("miniflare");

const { values } = parseArgs({
	options: {
		config: { type: "string", default: "wrangler.toml" },
		port: { type: "string" },
		"persist-to": { type: "string" },
		"inspector-port": { type: "string" },
		var: { type: "string", multiple: true, default: [] },
	},
});
if (!values.port || !values["persist-to"]) throw new Error("--port and --persist-to are required");

const config = resolve(values.config);
// In the state folder, which whoever started this server removes, however this process ends.
const bundle = join(values["persist-to"], "worker-bundle");
// wrangler's own bundler, with the config's [build] command: the same code wrangler dev would run.
execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", bundle, "--config", config], { stdio: ["ignore", "ignore", "inherit"] });

const options = unstable_getMiniflareWorkerOptions(config);
// The bundle is one module already: rules for importing other files do not apply.
const { modulesRules: _rules, ...workerOptions } = options.workerOptions;
// wrangler names the bundle after the Worker's entry module.
const main = options.main ?? "index.ts";
const script = `${basename(main, extname(main))}.js`;
const vars = Object.fromEntries(
	values.var.map((pair) => {
		const at = pair.indexOf(":");
		return [pair.slice(0, at), pair.slice(at + 1)];
	}),
);

const meter = vars.BENCH_SQL_METER === "on";

const mf = new Miniflare(
	convertV4MiniflareOptions({
		host: "127.0.0.1",
		port: Number(values.port),
		inspectorPort: values["inspector-port"] ? Number(values["inspector-port"]) : undefined,
		defaultPersistRoot: values["persist-to"],
		workers: [
			{
				...workerOptions,
				name: "worker",
				// Module names are paths relative to the root, and may not climb out of it.
				rootPath: bundle,
				modules: true,
				scriptPath: join(bundle, script),
				bindings: { ...(workerOptions.bindings ?? {}), ...vars },
				...(meter ? { tails: ["bench-tail"] } : {}),
			},
			...(meter ? [{ name: "bench-tail", modules: true, scriptPath: fileURLToPath(new URL("./metering/tail-worker.js", import.meta.url)), compatibilityDate: "2026-11-01" }] : []),
		],
	}),
);
const url = await mf.ready;
process.stdout.write(`listening ${url.origin}\n`);

const stop = async () => {
	await mf.dispose();
	process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
