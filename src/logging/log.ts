/**
 * The Worker's log: one JSON object per line, so that Workers Logs and `wrangler tail` can filter
 * by field. What goes in is chosen field by field, never a request or a body: no token, key,
 * cookie, message text or file contents ever reaches a log line (test/node/logs.test.ts reads a
 * whole run's log to check).
 */
export type LogValue = string | number | boolean | null;

export function logLine(level: "info" | "error", event: string, fields: Record<string, LogValue>): void {
	const line = JSON.stringify({ level, event, ...fields });
	if (level === "error") console.error(line);
	else console.log(line);
}
