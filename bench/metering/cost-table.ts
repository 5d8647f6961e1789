/** W6's rows in the table, and the breakdown by unit printed under it. */
import type { Row } from "../rows";
import type { CostResult } from "../workloads/cost";
import { UNIT_KEYS, UNIT_LABELS } from "./bill";
import type { RecordedCost } from "./recorded";
import { COST_TOLERANCE } from "./recorded";
import { OBJECT_GB, PRICES } from "./prices";

const usd = (value: number) => (value >= 0.1 ? `$${value.toFixed(2)}` : value >= 0.001 ? `$${value.toFixed(4)}` : `$${value.toExponential(2)}`);
const percent = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 3 : 2)}%`;

export function costRows(result: CostResult | undefined, recorded: RecordedCost | null): Row[] {
	if (!result) return [];
	const chat = (cell: string, figure: string, budget = "", pass: boolean | null = null): Row => ({ workload: "W6", figure, cells: { chat: cell }, budget, pass });
	const ratio = recorded ? result.perChat / recorded.perChatUsd : Number.NaN;
	return [
		chat(`${usd(result.per1000Chats)} (${percent(result.shareOfAmazonConnect)} of ${usd(result.amazonConnectPer1000Chats)})`, `price per 1,000 chats (${result.messages} msgs, ${result.minutes} min) vs Amazon Connect`, "< 1% of Amazon Connect", result.shareOfAmazonConnect < 0.01),
		chat(`${UNIT_LABELS[result.dominant]}: ${percent(result.perUnit[result.dominant] / result.perChat)} of it`, "… the unit that dominates"),
		chat(recorded ? `${ratio.toFixed(2)}× (${usd(recorded.perChatUsd * 1000)} on ${recorded.date.slice(0, 10)})` : "nothing recorded", "… against the recorded figure", `≤ ${COST_TOLERANCE}×`, recorded ? ratio <= COST_TOLERANCE : false),
	];
}

/** Every unit of one chat, and what it comes to per 1,000 chats. */
export function costBreakdown(result: CostResult | undefined): string {
	if (!result) return "";
	const lines = UNIT_KEYS.map((key) => `  ${UNIT_LABELS[key].padEnd(48)} ${String(Math.round(result.units[key] * 100) / 100).padStart(9)}   ${usd(result.perUnit[key] * 1000).padStart(10)} per 1,000 chats`);
	const invocations = Object.entries(result.invocations)
		.sort((a, b) => b[1] - a[1])
		.map(([what, n]) => `${what} ${n}`)
		.join(", ");
	const rows = Object.entries(result.rowsByClass)
		.map(([name, r]) => `${name} ${r.rowsRead} read / ${r.rowsWritten} written`)
		.join(", ");
	const untilHibernation = result.secondsUntilHibernation * OBJECT_GB * PRICES.objectGbSecond * 1000;
	const pessimistic = `  (not in the price: were the session billed from each wake until it hibernates, 10 s after its last event, it would be in memory ${result.secondsUntilHibernation.toFixed(0)} s, ${usd(untilHibernation)} per 1,000 chats)`;
	return [`W6, one chat's units (counted once; prices in bench/metering/prices.ts):`, ...lines, pessimistic, `  invocations: ${invocations}`, `  SQLite rows by object class: ${rows}`].join("\n");
}
