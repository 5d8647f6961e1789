/**
 * The module graph of src/, type imports included: no import circles, and the Worker's routes use
 * an object only through its contract module (plus the bindings that find it). And the house rule
 * that keeps files to one concept: none of them much over 300 lines (CONTRIBUTING.md).
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");
/** "About 300": room for a comment more, not for a second concept. */
const MAX_LINES = 320;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith(".ts") ? [path] : [];
	});
}

/** Each file's relative imports, as paths under src/ without the extension. */
function graph(): Map<string, string[]> {
	const edges = new Map<string, string[]>();
	for (const file of sourceFiles(SRC)) {
		const from = relative(SRC, file).replace(/\.ts$/, "");
		const imports = [...readFileSync(file, "utf8").matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)].map((match) =>
			relative(SRC, resolve(dirname(file), match[1] ?? "")),
		);
		edges.set(from, imports);
	}
	return edges;
}

function cycles(edges: Map<string, string[]>): string[] {
	const found: string[] = [];
	const done = new Set<string>();
	const visit = (node: string, path: string[]) => {
		const at = path.indexOf(node);
		if (at >= 0) return void found.push([...path.slice(at), node].join(" → "));
		if (done.has(node)) return;
		for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
		done.add(node);
	};
	for (const node of edges.keys()) visit(node, []);
	return found;
}

describe("the module graph", () => {
	const edges = graph();

	it("reads every source file", () => {
		expect(edges.get("session/chat-session")).toContain("session/session-core");
	});

	it("has no import circles, type imports included", () => {
		expect(cycles(edges)).toEqual([]);
	});

	it("lets routes reach the objects only through their contracts", () => {
		const reaching = [...edges].flatMap(([from, to]) =>
			from.startsWith("routes/") ? to.filter((m) => /^(session|directory)\//.test(m) && !m.endsWith("/contract")).map((m) => `${from} → ${m}`) : [],
		);
		expect(reaching).toEqual([]);
	});

	it("keeps every source file to about 300 lines", () => {
		const long = sourceFiles(SRC)
			.map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, "utf8").split("\n").length }))
			.filter(({ lines }) => lines > MAX_LINES);
		expect(long).toEqual([]);
	});
});
