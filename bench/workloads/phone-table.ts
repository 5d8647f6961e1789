/** W7's rows in the table, and the first slow load's requests printed under it. */
import { median } from "../rows";
import type { Row } from "../rows";
import type { PhoneProfileResult, PhoneResult } from "./phone";

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const spread = (values: number[], format: (v: number) => string) => (values.length > 1 ? ` [${format(Math.min(...values))}–${format(Math.max(...values))}]` : "");

/** Budgets of issue 16: a live chat within 1.5 s on the slow profile, 100 KB of JavaScript, a message painted within 1.25× its frame's arrival. */
const LIVE_MS = 1500;
const SCRIPT_BYTES = 100 * 1024;
const PAINT_RATIO = 1.25;

function profileRows(p: PhoneProfileResult, judged: boolean): Row[] {
	const row = (figure: string, cell: string, budget = "", pass: boolean | null = null): Row => ({ workload: "W7", figure: `${figure}, ${p.profile.name}`, cells: { chat: cell }, budget, pass });
	const live = median(p.toLiveMs);
	const ratio = median(p.paintRatios);
	return [
		row("invite link → history painted, socket live (state frame), s", `${seconds(live)}${spread(p.toLiveMs, seconds)} (${seconds(median(p.toStateMs))})`, judged ? `≤ ${seconds(LIVE_MS)} s` : "", judged ? live <= LIVE_MS : null),
		row("agent's send → frame arrived / painted, ms", `${p.arrival.p50.toFixed(0)} / ${p.painted.p50.toFixed(0)} (${ratio.toFixed(2)}×${spread(p.paintRatios, (v) => v.toFixed(2))})`, judged ? `painted ≤ ${PAINT_RATIO}× arrived` : "", judged ? ratio <= PAINT_RATIO : null),
	];
}

/** The first profile is the one judged (the slow one); the others are shown beside it. */
export function phoneRows(result: PhoneResult | undefined): Row[] {
	if (!result) return [];
	const bytes = result.profiles.flatMap((p) => p.scriptBytes);
	const most = bytes.length > 0 ? Math.max(...bytes) : Number.NaN;
	return [
		...result.profiles.flatMap((p, i) => profileRows(p, i === 0)),
		{ workload: "W7", figure: `JavaScript loaded before the chat is live, KB (CPU ${result.cpuSlowdown}× slower)`, cells: { chat: (most / 1024).toFixed(1) }, budget: "≤ 100 KB", pass: most <= SCRIPT_BYTES },
	];
}

/** The judged profile's first load, request by request: the round trips a live chat waits for. */
export function phoneWaterfall(result: PhoneResult | undefined): string {
	const slow = result?.profiles[0];
	if (!slow || slow.waterfall.length === 0) return "";
	const lines = slow.waterfall.map((r) => `  ${seconds(r.startMs).padStart(6)}–${seconds(r.endMs).padEnd(6)} s  ${r.name}`);
	return [`W7, the first load on ${slow.profile.name} (${slow.profile.latency} ms a request), after the page itself:`, ...lines].join("\n");
}
