/**
 * The cost per chat recorded in the repository (bench/cost-recorded.json), which every run with W6
 * compares with: a chat that costs more than 20% above it fails the run, smoke run included. A
 * full run writes it anew when asked (`npm run bench -- --record-cost`), after a change that is
 * meant to cost more or has made a chat cheaper; the README says when.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import type { Check } from "../report";
import type { CostResult } from "../workloads/cost";

export const RECORDED_COST_FILE = "bench/cost-recorded.json";
/** How far above the recorded figure a chat may cost before the run fails. */
export const COST_TOLERANCE = 1.2;

const RecordedSchema = z.object({ date: z.string(), perChatUsd: z.number().positive(), units: z.record(z.string(), z.number()) });
export type RecordedCost = z.infer<typeof RecordedSchema>;

export function readRecordedCost(file = RECORDED_COST_FILE): RecordedCost | null {
	try {
		const parsed = RecordedSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

export function recordCost(result: CostResult, date: Date, file = RECORDED_COST_FILE): void {
	const recorded: RecordedCost = { date: date.toISOString(), perChatUsd: result.perChat, units: { ...result.units } };
	writeFileSync(file, `${JSON.stringify(recorded, null, "\t")}\n`);
}

/** Fails when the chat costs more than COST_TOLERANCE times the recorded figure, or nothing valid is recorded. */
export function costCheck(result: CostResult, recorded: RecordedCost | null): Check {
	if (!recorded) return { workload: "W6", what: `no valid cost recorded in ${RECORDED_COST_FILE} (npm run bench -- --record-cost writes it)`, pass: false };
	const ratio = result.perChat / recorded.perChatUsd;
	return { workload: "W6", what: `cost per chat ${ratio.toFixed(2)}× the figure recorded on ${recorded.date.slice(0, 10)}: at most ${COST_TOLERANCE}×`, pass: ratio <= COST_TOLERANCE };
}
