/** The accessibility audit (axe-core, WCAG 2.1 A and AA rules) the browser tests run on a page as it is. */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[] }[];
}

/** What axe finds wrong on the page as it is now, one line per rule and element. */
export async function audit(page: Page): Promise<string[]> {
	// Evaluated through devtools: the pages' Content-Security-Policy rightly refuses inline scripts.
	await page.evaluate(AXE);
	const violations = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
		const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
		return result.violations;
	});
	return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target.join(" ")}`));
}
