/**
 * The benchmark's table and its verdicts. Every timing is shown in milliseconds and as a ratio to
 * the platform floor (b): ratios are what to compare over time, absolute times move with the
 * machine. The chat is judged against the budget of issue 5; all targets are judged on delivery.
 */
import type { TargetName } from "./targets/target";
import type { Tally } from "./ledger";
import type { IdleResult } from "./workloads/idle-sessions";
import { hibernated } from "./workloads/idle-sessions";
import type { JoinStormResult } from "./workloads/join-storm";
import type { ResumeResult } from "./workloads/resume";
import type { SaturationResult } from "./workloads/saturation";
import type { SteadyResult } from "./workloads/steady-chat";
import type { UploadResult } from "./workloads/uploads";

export const TARGET_ORDER: TargetName[] = ["ws", "floor", "chat"];
export const TARGET_LABELS: Record<TargetName, string> = { ws: "(a) bare ws", floor: "(b) floor DO", chat: "chat Worker" };

export interface Results {
	W1?: Partial<Record<TargetName, SteadyResult>>;
	W2?: Partial<Record<TargetName, SaturationResult>>;
	W3?: Partial<Record<TargetName, IdleResult>>;
	W4?: Partial<Record<TargetName, ResumeResult>>;
	W5?: Partial<Record<TargetName, JoinStormResult>>;
	W6?: Partial<Record<TargetName, UploadResult>>;
}

export interface Check {
	workload: string;
	what: string;
	pass: boolean;
}

type Row = { workload: string; figure: string; cells: Partial<Record<TargetName, string>>; budget: string; pass: boolean | null };

const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)) : "–");
const ratio = (value: number, floor: number | undefined) => (floor && Number.isFinite(value) && floor > 0 ? ` (${(value / floor).toFixed(2)}×)` : "");
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** A figure per target, in its unit and as a ratio to the floor's. */
function figureRow<T>(workload: string, figure: string, results: Partial<Record<TargetName, T>> | undefined, pick: (r: T) => number, format: (v: number) => string, budget = "", pass: boolean | null = null): Row {
	const floorResult = results?.floor;
	const floor = floorResult === undefined ? undefined : pick(floorResult);
	const cells: Row["cells"] = {};
	for (const name of TARGET_ORDER) {
		const result = results?.[name];
		if (result !== undefined) cells[name] = `${format(pick(result))}${ratio(pick(result), floor)}`;
	}
	return { workload, figure, cells, budget, pass };
}

function textRow<T>(workload: string, figure: string, results: Partial<Record<TargetName, T>> | undefined, show: (r: T) => string, budget = "", pass: boolean | null = null): Row {
	const cells: Row["cells"] = {};
	for (const name of TARGET_ORDER) {
		const result = results?.[name];
		if (result !== undefined) cells[name] = show(result);
	}
	return { workload, figure, cells, budget, pass };
}

const delivered = (t: Tally) => `${t.lost} / ${t.duplicated}${t.seqGaps + t.seqRepeats > 0 ? ` (seq ${t.seqGaps} gaps, ${t.seqRepeats} repeats)` : ""}${t.refused > 0 ? `, ${t.refused} refused` : ""}`;
const clean = (t: Tally) => t.lost === 0 && t.duplicated === 0 && t.seqGaps === 0 && t.seqRepeats === 0;

/**
 * What must hold whatever the timings: every target received everything exactly once, and idle
 * objects hibernate. The smoke run's only verdict.
 */
export function correctnessChecks(results: Results): Check[] {
	const checks: Check[] = [];
	for (const name of TARGET_ORDER) {
		const w1 = results.W1?.[name];
		if (w1) {
			checks.push({ workload: "W1", what: `${name}: nothing lost or duplicated`, pass: clean(w1.tally) && w1.tally.refused === 0 });
			checks.push({ workload: "W1", what: `${name}: every message persisted once`, pass: w1.persisted.found === w1.persisted.expected });
		}
		const w2 = results.W2?.[name];
		if (w2) checks.push({ workload: "W2", what: `${name}: nothing duplicated at any step`, pass: w2.steps.every((s) => s.tally.duplicated === 0 && s.tally.seqRepeats === 0) });
		const w3 = results.W3?.[name];
		if (w3) checks.push({ workload: "W3", what: `${name}: first messages delivered once`, pass: clean(w3.tally) && clean(w3.background) });
		const hibernates = w3 ? hibernated(w3) : null;
		if (hibernates !== null) checks.push({ workload: "W3", what: `${name}: idle objects hibernate`, pass: hibernates });
		const w4 = results.W4?.[name];
		if (w4) checks.push({ workload: "W4", what: `${name}: every resume exact`, pass: w4.exact === w4.runs && clean(w4.live) && w4.live.refused === 0 });
		const w5 = results.W5?.[name];
		if (w5) checks.push({ workload: "W5", what: `${name}: every join succeeded`, pass: w5.failures.length === 0 });
		const beside = results.W6?.[name]?.beside;
		if (beside) checks.push({ workload: "W6", what: `${name}: messages beside uploads nothing lost or duplicated`, pass: beside.tallies.every((t) => clean(t) && t.refused === 0) });
	}
	return checks;
}

function steadyRows(results: Results): Row[] {
	const w1 = results.W1;
	if (!w1) return [];
	const chat = w1.chat;
	const floor = w1.floor;
	const p50Ok = chat && floor ? chat.latency.p50 <= 1.5 * floor.latency.p50 : null;
	const p99Ok = chat && floor ? chat.latency.p99 <= 1.5 * floor.latency.p99 && chat.latency.p99 <= 20 : chat ? chat.latency.p99 <= 20 : null;
	return [
		figureRow("W1", "p50 send→receive, ms", w1, (r) => r.latency.p50, ms, "≤ 1.5× floor", p50Ok),
		figureRow("W1", "p99 send→receive, ms", w1, (r) => r.latency.p99, ms, "≤ 1.5× floor, ≤ 20 ms", p99Ok),
		figureRow("W1", "… p99 within each 1-s turn, median, ms", w1, (r) => r.medianTurnP99, ms),
		figureRow("W1", "server CPU per message, ms", w1, (r) => r.serverCpuMsPerMessage, ms),
		// Only `wrangler dev` has a proxy (bench/run.ts --runner wrangler).
		...(TARGET_ORDER.some((t) => w1[t]?.proxyCpuMsPerMessage != null) ? [figureRow("W1", "… and wrangler's dev proxy's, ms", w1, (r) => r.proxyCpuMsPerMessage ?? Number.NaN, ms)] : []),
		textRow("W1", "lost / duplicated deliveries", w1, (r) => delivered(r.tally), "0 / 0", chat ? clean(chat.tally) && chat.tally.refused === 0 : null),
		textRow("W1", "persisted once", w1, (r) => `${r.persisted.found}/${r.persisted.expected}`, "all", chat ? chat.persisted.found === chat.persisted.expected : null),
	];
}

function saturationRows(results: Results): Row[] {
	const w2 = results.W2;
	if (!w2) return [];
	const chat = w2.chat?.maxRate ?? 0;
	const floor = w2.floor?.maxRate ?? null;
	const ok = w2.chat && floor ? chat >= 0.9 * floor : null;
	const show = (r: SaturationResult) => r.maxRate ?? 0;
	const row = figureRow("W2", "max msg/s in with p99 ≤ 100 ms", w2, show, (v) => v.toFixed(0), "≥ 0.9× floor", ok);
	for (const name of TARGET_ORDER) if (w2[name]?.beyondLadder) row.cells[name] = `≥ ${row.cells[name] ?? ""}`;
	return [row];
}

function idleRows(results: Results): Row[] {
	const w3 = results.W3;
	if (!w3) return [];
	const chat = w3.chat;
	const probedCell = (r: IdleResult) => (r.evicted ? `${r.evicted.rooms}/${r.evicted.of} evicted` : "–");
	const aliveCell = (r: IdleResult) => (r.liveObjects ? `${r.liveObjects.awake} → ${r.liveObjects.asleep}` : "–");
	// A chat whose objects cannot be counted has not shown that they hibernate.
	const hibernates = chat ? (hibernated(chat) ?? false) : null;
	return [
		figureRow("W3", "added server memory, MB", w3, (r) => r.addedBytes, mb, "≤ 150 MB", chat ? chat.addedBytes <= 150 * 1024 * 1024 : null),
		...(TARGET_ORDER.some((t) => w3[t]?.memory.before.processes.some((p) => p.role === "proxy")) ? [figureRow("W3", "… with wrangler's dev proxy, MB", w3, (r) => r.addedWithProxyBytes, mb)] : []),
		// No ratio: the floor's rooms need no setup, so its figure is about nothing.
		textRow("W3", "… of it taken by the sessions' setup, MB", w3, (r) => mb(r.setUpBytes)),
		figureRow("W3", "… of it the Worker's JS heap, MB", w3, (r) => r.addedHeapBytes ?? Number.NaN, (v) => (Number.isFinite(v) ? (v / 1024 / 1024).toFixed(1) : "–")),
		textRow("W3", `objects after ${Math.round(((chat ?? w3.floor)?.idleMs ?? 0) / 1000)} s idle, asked`, w3, probedCell),
		textRow("W3", `objects alive, woken → ${Math.round(((chat ?? w3.floor)?.liveObjects?.afterMs ?? 0) / 1000)} s later`, w3, aliveCell, "hibernate", hibernates),
		figureRow("W3", "first message after idle p50, ms", w3, (r) => r.firstMessage.p50, ms),
		figureRow("W3", "first message after idle p99, ms", w3, (r) => r.firstMessage.p99, ms, "≤ 50 ms", chat ? chat.firstMessage.p99 <= 50 && clean(chat.tally) : null),
		figureRow("W3", "server CPU per first message, ms", w3, (r) => r.serverCpuMsPerWake, ms),
	];
}

function resumeRows(results: Results): Row[] {
	const w4 = results.W4;
	if (!w4) return [];
	const chat = w4.chat;
	const missed = (chat ?? w4.floor ?? w4.ws)?.missed.toLocaleString("en") ?? "";
	return [
		figureRow("W4", `resume ${missed} events p50, ms`, w4, (r) => r.resume.p50, ms),
		figureRow("W4", `resume ${missed} events p99, ms`, w4, (r) => r.resume.p99, ms, "≤ 100 ms", chat ? chat.resume.p99 <= 100 : null),
		textRow("W4", "runs exact (all, once, in order)", w4, (r) => `${r.exact}/${r.runs}${clean(r.live) && r.live.refused === 0 ? "" : `; live: ${delivered(r.live)}`}`, "all", chat ? chat.exact === chat.runs && clean(chat.live) : null),
	];
}

function joinRows(results: Results): Row[] {
	const w5 = results.W5;
	if (!w5) return [];
	const chat = w5.chat;
	return [
		figureRow("W5", "join → state p50, ms", w5, (r) => r.join.p50, ms),
		figureRow("W5", "join → state p99, ms", w5, (r) => r.join.p99, ms, "≤ 100 ms", chat ? chat.join.p99 <= 100 : null),
		figureRow("W5", "server CPU per join, ms", w5, (r) => r.serverCpuMsPerJoin, ms),
		textRow("W5", "joins that failed", w5, (r) => `${r.failures.length}/${r.joins}`, "0", chat ? chat.failures.length === 0 : null),
	];
}

function uploadRows(results: Results): Row[] {
	const w6 = results.W6;
	if (!w6) return [];
	const chat = w6.chat;
	const floor = w6.floor;
	const beside = chat?.beside;
	const besideRatio = beside ? beside.with.p99 / beside.without.p99 : Number.NaN;
	return [
		figureRow("W6", "20 MB upload into R2, median MB/s (floor: bare put)", w6, (r) => r.medianMBps, (v) => v.toFixed(0), "≥ 0.8× floor", chat && floor ? chat.medianMBps >= 0.8 * floor.medianMBps : null),
		...(beside
			? [
					textRow("W6", "message p99 without / beside uploads, ms", w6, (r) => (r.beside ? `${ms(r.beside.without.p99)} / ${ms(r.beside.with.p99)} (${besideRatio.toFixed(2)}×, ${r.beside.uploads} uploads)` : "–"), "≤ 1.5× without", besideRatio <= 1.5),
				]
			: []),
	];
}

export function rows(results: Results): Row[] {
	return [...steadyRows(results), ...saturationRows(results), ...idleRows(results), ...resumeRows(results), ...joinRows(results), ...uploadRows(results)];
}

/** The chat's budget verdicts, from the same rows the table shows. */
export function budgetChecks(results: Results): Check[] {
	return rows(results).flatMap((r) => (r.pass === null ? [] : [{ workload: r.workload, what: `${r.figure}: ${r.budget}`, pass: r.pass }]));
}

/** A Markdown table (it reads as plain text too); without verdicts when `judged` is false (the smoke run). */
export function table(results: Results, targets: TargetName[], judged: boolean): string {
	const header = ["", "figure", ...targets.map((t) => TARGET_LABELS[t]), ...(judged ? ["chat budget", "ok"] : [])];
	const verdict = (r: Row) => (judged ? [r.budget, r.pass === null ? "" : r.pass ? "yes" : "NO"] : []);
	const body = rows(results).map((r) => [r.workload, r.figure, ...targets.map((t) => r.cells[t] ?? "–"), ...verdict(r)]);
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
	return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

/** W2's ladder: p99 per step and target, to see where each one tips over. */
export function saturationLadder(results: Results, targets: TargetName[]): string {
	const w2 = results.W2;
	if (!w2) return "";
	const rates = [...new Set(targets.flatMap((t) => w2[t]?.steps.map((s) => s.rateIn) ?? []))].sort((a, b) => a - b);
	const lines = rates.map((rate) => {
		const cells = targets.map((t) => {
			const tries = w2[t]?.steps.filter((s) => s.rateIn === rate) ?? [];
			const shown = tries.map((step) => `${ms(step.latency.p50)}/${ms(step.latency.p99)}${step.drained ? "" : " (not drained)"}`).join(", again ");
			return `${TARGET_LABELS[t]} ${shown || "–"}`;
		});
		return `  ${rate.toFixed(0).padStart(5)} msg/s in: ${cells.join("   ")}`;
	});
	return ["W2 ladder, p50/p99 ms per step:", ...lines].join("\n");
}
