/**
 * The benchmark's table and its verdicts. Every timing is shown in milliseconds and as a ratio to
 * the platform floor (b): ratios are what to compare over time, absolute times move with the
 * machine. The chat is judged against the budget of issue 5; all targets are judged on delivery.
 */
import type { TargetName } from "./targets/target";
import type { PerTarget, Row, Runs } from "./rows";
import { TARGET_ORDER, everyRun, figureRow, mb, median, ms, repeatedRow, runsRow, textRow } from "./rows";
import type { Tally } from "./ledger";
import type { IdleResult } from "./workloads/idle-sessions";
import { hibernated } from "./workloads/idle-sessions";
import type { JoinFigures, JoinStormResult } from "./workloads/join-storm";
import type { ResumeResult } from "./workloads/resume";
import type { SaturationResult } from "./workloads/saturation";
import type { SteadyResult } from "./workloads/steady-chat";
import type { UploadResult } from "./workloads/uploads";
import type { PhaseResult } from "./workloads/phase";
import type { CostResult } from "./workloads/cost";
import type { RecordedCost } from "./metering/recorded";
import { costRows } from "./metering/cost-table";
import type { PhoneResult } from "./workloads/phone";
import { phoneRows } from "./workloads/phone-table";

export { TARGET_ORDER };
export const TARGET_LABELS: Record<TargetName, string> = { ws: "(a) bare ws", floor: "(b) floor DO", chat: "chat Worker" };

export interface Results {
	/** W1, W4, W5: three runs each in a full run (one in the smoke run), targets interleaved in each. */
	W1?: Runs<SteadyResult>;
	W2?: PerTarget<SaturationResult>;
	W3?: PerTarget<IdleResult>;
	W4?: Runs<ResumeResult>;
	W5?: Runs<JoinStormResult>;
	W6?: CostResult;
	W7?: PhoneResult;
	W8?: Runs<PhaseResult>;
	W10?: PerTarget<UploadResult>;
}

export interface Check {
	workload: string;
	what: string;
	pass: boolean;
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
		const w1Clean = everyRun(results.W1, name, (r) => clean(r.tally) && r.tally.refused === 0);
		if (w1Clean !== null) {
			checks.push({ workload: "W1", what: `${name}: nothing lost or duplicated`, pass: w1Clean });
			checks.push({ workload: "W1", what: `${name}: every message persisted once`, pass: everyRun(results.W1, name, (r) => r.persisted.found === r.persisted.expected) ?? false });
		}
		const w2 = results.W2?.[name];
		if (w2) checks.push({ workload: "W2", what: `${name}: nothing duplicated at any step`, pass: w2.steps.every((s) => s.tally.duplicated === 0 && s.tally.seqRepeats === 0) });
		const w3 = results.W3?.[name];
		if (w3) checks.push({ workload: "W3", what: `${name}: first messages delivered once`, pass: clean(w3.tally) && clean(w3.background) });
		const hibernates = w3 ? hibernated(w3) : null;
		if (hibernates !== null) checks.push({ workload: "W3", what: `${name}: idle objects hibernate`, pass: hibernates });
		const w4 = everyRun(results.W4, name, (r) => r.exact === r.runs && clean(r.live) && r.live.refused === 0);
		if (w4 !== null) checks.push({ workload: "W4", what: `${name}: every resume exact`, pass: w4 });
		const w5 = everyRun(results.W5, name, (r) => r.failures.length === 0 && (r.byKey?.failures.length ?? 0) === 0);
		if (w5 !== null) checks.push({ workload: "W5", what: `${name}: every join succeeded`, pass: w5 });
		const w8 = everyRun(results.W8, name, (r) => clean(r.tally) && r.tally.refused === 0 && r.drained);
		if (w8 !== null) checks.push({ workload: "W8", what: `${name}: nothing lost or duplicated in the big channel`, pass: w8 });
		const beside = results.W10?.[name]?.beside;
		if (beside) checks.push({ workload: "W10", what: `${name}: messages beside uploads nothing lost or duplicated`, pass: beside.tallies.every((t) => clean(t) && t.refused === 0) });
	}
	return checks;
}

function steadyRows(results: Results): Row[] {
	const w1 = results.W1;
	if (!w1) return [];
	const hasProxy = w1.some((run) => TARGET_ORDER.some((t) => run[t]?.proxyCpuMsPerMessage != null));
	return [
		repeatedRow("W1", "p50 send→receive, ms", w1, (r) => r.latency.p50, ms, 1.1),
		repeatedRow("W1", "p99 send→receive, ms", w1, (r) => r.latency.p99, ms, 1.25),
		repeatedRow("W1", "… p99 within each 1-s turn, median, ms", w1, (r) => r.medianTurnP99, ms),
		repeatedRow("W1", "server CPU per message, ms", w1, (r) => r.serverCpuMsPerMessage, ms),
		// Only `wrangler dev` has a proxy (bench/run.ts --runner wrangler).
		...(hasProxy ? [repeatedRow("W1", "… and wrangler's dev proxy's, ms", w1, (r) => r.proxyCpuMsPerMessage ?? Number.NaN, ms)] : []),
		runsRow("W1", "lost / duplicated deliveries", w1, (r) => delivered(r.tally), "0 / 0", everyRun(w1, "chat", (r) => clean(r.tally) && r.tally.refused === 0)),
		runsRow("W1", "persisted once", w1, (r) => `${r.persisted.found}/${r.persisted.expected}`, "all", everyRun(w1, "chat", (r) => r.persisted.found === r.persisted.expected)),
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
		figureRow("W3", "added server memory, MB", w3, (r) => r.addedBytes, mb, "≤ 1.25× floor (same setup)", chat && w3.floor ? chat.addedBytes <= 1.25 * w3.floor.addedBytes : null),
		...(TARGET_ORDER.some((t) => w3[t]?.memory.before.processes.some((p) => p.role === "proxy")) ? [figureRow("W3", "… with wrangler's dev proxy, MB", w3, (r) => r.addedWithProxyBytes, mb)] : []),
		figureRow("W3", "… of it taken by the sessions' setup, MB", w3, (r) => r.setUpBytes, mb),
		figureRow("W3", "… of it added once set up (sockets, idle, wakes), MB", w3, (r) => r.afterSetUpBytes, mb),
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
	const first = w4[0];
	const missed = (first?.chat ?? first?.floor ?? first?.ws)?.missed.toLocaleString("en") ?? "";
	const exact = (r: ResumeResult) => r.exact === r.runs && clean(r.live);
	return [
		repeatedRow("W4", `resume ${missed} events p50, ms`, w4, (r) => r.resume.p50, ms),
		repeatedRow("W4", `resume ${missed} events p99, ms`, w4, (r) => r.resume.p99, ms, 1.25),
		runsRow("W4", "runs exact (all, once, in order)", w4, (r) => `${r.exact}/${r.runs}${clean(r.live) && r.live.refused === 0 ? "" : `; live: ${delivered(r.live)}`}`, "all", everyRun(w4, "chat", exact)),
	];
}

function joinRows(results: Results): Row[] {
	const w5 = results.W5;
	if (!w5) return [];
	const p99 = repeatedRow("W5", "join → state p99, ms", w5, (r) => r.join.p99, ms);
	const chatP99 = w5.flatMap((run) => (run.chat ? [run.chat.join.p99] : []));
	return [
		repeatedRow("W5", "join → state p50, ms", w5, (r) => r.join.p50, ms),
		{ ...p99, budget: "≤ 100 ms, median of runs", pass: chatP99.length > 0 ? median(chatP99) <= 100 : null },
		repeatedRow("W5", "server CPU per join, ms", w5, (r) => r.serverCpuMsPerJoin, ms, 1.5),
		runsRow("W5", "joins that failed", w5, (r) => `${r.failures.length}/${r.joins}`, "0", everyRun(w5, "chat", (r) => r.failures.length === 0)),
		...(w5.some((run) => run.chat?.byKey) ? keyJoinRows(w5) : []),
	];
}

/** The chat's typed key (HTTP join, then socket), beside the same floor: shown, not judged. */
function keyJoinRows(w5: Runs<JoinStormResult>): Row[] {
	const chatOnly = (row: Row): Row => ({ ...row, cells: { chat: row.cells.chat } });
	const byKey = (pick: (f: JoinFigures) => number) => (r: JoinStormResult) => pick(r.byKey ?? r);
	return [
		chatOnly(repeatedRow("W5", "… by a typed key (HTTP join, then socket): join → state p99, ms", w5, byKey((f) => f.join.p99), ms)),
		chatOnly(repeatedRow("W5", "… by a typed key: server CPU per join, ms", w5, byKey((f) => f.serverCpuMsPerJoin), ms)),
		runsRow("W5", "… by a typed key: joins that failed", w5, (r) => (r.byKey ? `${r.byKey.failures.length}/${r.joins}` : "–"), "0", everyRun(w5, "chat", (r) => r.byKey?.failures.length === 0)),
	];
}

function bigChannelRows(results: Results): Row[] {
	const w8 = results.W8;
	if (!w8) return [];
	const first = w8[0]?.chat ?? w8[0]?.floor;
	const shape = first ? `${first.participants} sockets, ${first.rateIn} msg/s in` : "";
	return [
		repeatedRow("W8", `p50 send→receive (${shape}), ms`, w8, (r) => r.latency.p50, ms),
		repeatedRow("W8", "p99 send→receive, ms", w8, (r) => r.latency.p99, ms, 1.5),
		repeatedRow("W8", "server CPU per message (21 deliveries), ms", w8, (r) => r.serverCpuMsPerMessage, ms),
		runsRow("W8", "lost / duplicated deliveries", w8, (r) => delivered(r.tally), "0 / 0", everyRun(w8, "chat", (r) => clean(r.tally) && r.tally.refused === 0)),
	];
}

function uploadRows(results: Results): Row[] {
	const w10 = results.W10;
	if (!w10) return [];
	const chat = w10.chat;
	const floor = w10.floor;
	const beside = chat?.beside;
	const besideRatio = beside ? beside.with.p99 / beside.without.p99 : Number.NaN;
	return [
		figureRow("W10", "20 MB upload into R2, median MB/s (floor: bare put)", w10, (r) => r.medianMBps, (v) => v.toFixed(0), "≥ 0.8× floor", chat && floor ? chat.medianMBps >= 0.8 * floor.medianMBps : null),
		...(beside
			? [
					// Each target against itself: the floor's row is what the runtime does to messages beside its bare puts.
					textRow("W10", "message p99 without / beside uploads, ms", w10, (r) => (r.beside ? `${ms(r.beside.without.p99)} / ${ms(r.beside.with.p99)} (${(r.beside.with.p99 / r.beside.without.p99).toFixed(2)}×, ${r.beside.uploads} uploads)` : "–"), "≤ 1.5× without", besideRatio <= 1.5),
				]
			: []),
	];
}

export function rows(results: Results, recordedCost: RecordedCost | null = null): Row[] {
	return [...steadyRows(results), ...saturationRows(results), ...idleRows(results), ...resumeRows(results), ...joinRows(results), ...costRows(results.W6, recordedCost), ...phoneRows(results.W7), ...bigChannelRows(results), ...uploadRows(results)];
}

/** The chat's budget verdicts, from the same rows the table shows. */
export function budgetChecks(results: Results, recordedCost: RecordedCost | null): Check[] {
	return rows(results, recordedCost).flatMap((r) => (r.pass === null ? [] : [{ workload: r.workload, what: `${r.figure}: ${r.budget}`, pass: r.pass }]));
}

/** A Markdown table (it reads as plain text too); without verdicts when `judged` is false (the smoke run). */
export function table(results: Results, targets: TargetName[], judged: boolean, recordedCost: RecordedCost | null): string {
	const header = ["", "figure", ...targets.map((t) => TARGET_LABELS[t]), ...(judged ? ["chat budget", "ok"] : [])];
	const verdict = (r: Row) => (judged ? [r.budget, r.pass === null ? "" : r.pass ? "yes" : "NO"] : []);
	const body = rows(results, recordedCost).map((r) => [r.workload, r.figure, ...targets.map((t) => r.cells[t] ?? "–"), ...verdict(r)]);
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
