/**
 * Counts the SQLite rows each Durable Object reads and writes, as the platform bills them, for the
 * benchmark's cost workload (bench/workloads/cost.ts). Off unless the Worker runs with the var
 * BENCH_SQL_METER = "on", which only the benchmark sets: then each object's `sql.exec` is wrapped
 * to keep its cursors, and a microtask after the turn that made them (when the code has read them
 * to the end) adds their `rowsRead` and `rowsWritten`, which the runtime fills in, to the totals
 * per class, and notes the object's database size. The totals are plain numbers on the isolate's
 * global object (under METER_KEY), which the benchmark reads through devtools: the runtime allows
 * cursors and storage to be read only inside the object's own handlers. Off, it costs one
 * property read per object constructed.
 */
export const METER_KEY = "support-chat.sql-meter";

interface Totals {
	rowsRead: number;
	rowsWritten: number;
}

const totals: Record<string, Totals> = {};
/** Each object's database size in bytes, as last seen, by object id. */
const databaseBytes: Record<string, { className: string; bytes: number }> = {};

/** Call first thing in a Durable Object's constructor. */
export function meterSql(ctx: DurableObjectState, env: object, className: string): void {
	if (Reflect.get(env, "BENCH_SQL_METER") !== "on") return;
	Reflect.set(globalThis, Symbol.for(METER_KEY), { totals, databaseBytes });
	const sql = ctx.storage.sql;
	const objectId = ctx.id.toString();
	const pending: Array<{ rowsRead: number; rowsWritten: number }> = [];
	const settle = () => {
		const total = (totals[className] ??= { rowsRead: 0, rowsWritten: 0 });
		for (const cursor of pending.splice(0)) {
			total.rowsRead += cursor.rowsRead;
			total.rowsWritten += cursor.rowsWritten;
		}
		databaseBytes[objectId] = { className, bytes: sql.databaseSize };
	};
	const exec = sql.exec.bind(sql);
	sql.exec = <T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]) => {
		const cursor = exec<T>(query, ...bindings);
		if (pending.push(cursor) === 1) queueMicrotask(settle);
		return cursor;
	};
}
