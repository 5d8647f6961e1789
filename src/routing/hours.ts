/**
 * Business hours: whether a team is open at an instant, read in the team's own time zone (so
 * daylight saving time moves with it), and when it next opens. Pure: the routes and tests share it.
 */
import type { Hours, Weekday } from "./routing-config";
import { WEEKDAYS } from "./routing-config";

interface LocalTime {
	date: string;
	weekday: Weekday;
	/** HH:MM */
	time: string;
}

/** A formatter is costly to build and nextOpening asks hundreds of times: one per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", weekday: "short" });
		formatters.set(zone, formatter);
	}
	return formatter;
}

function localTime(zone: string, at: number): LocalTime {
	const parts = formatterFor(zone).formatToParts(at);
	const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
	const weekday = WEEKDAYS.find((d) => d === part("weekday").toLowerCase().slice(0, 3)) ?? "sun";
	return { date: `${part("year")}-${part("month")}-${part("day")}`, weekday, time: `${part("hour")}:${part("minute")}` };
}

/** No hours configured: always open. */
export function isOpen(hours: Hours | undefined, at: number): boolean {
	if (!hours) return true;
	const local = localTime(hours.timeZone, at);
	if (hours.holidays.includes(local.date)) return false;
	return (hours.weekly[local.weekday] ?? []).some(([from, to]) => local.time >= from && local.time < to);
}

const STEP_MS = 15 * 60 * 1000;
const LOOKAHEAD_MS = 14 * 24 * 3600 * 1000;

/**
 * When the team next opens, to the quarter hour (opening times are on quarter hours in practice);
 * null if it is open now or does not open in the next two weeks.
 */
export function nextOpening(hours: Hours | undefined, at: number): number | null {
	if (isOpen(hours, at)) return null;
	const start = Math.ceil(at / STEP_MS) * STEP_MS;
	for (let t = start; t <= at + LOOKAHEAD_MS; t += STEP_MS) if (isOpen(hours, t)) return t;
	return null;
}
