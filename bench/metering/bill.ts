/**
 * W6's units turned into dollars with the published prices (prices.ts), and the unit that costs
 * the most named.
 */
import { OBJECT_GB, PRICES, STORAGE_MONTHS, WEBSOCKET_MESSAGES_PER_REQUEST } from "./prices";

/** Every billable unit one chat used. */
export interface Units {
	workerRequests: number;
	workerCpuMs: number;
	/** Object invocations other than WebSocket messages: RPC calls, fetches (WebSocket upgrades), alarms. */
	objectCalls: number;
	/** Incoming WebSocket messages (pings the runtime answers included), billed at 20:1. */
	socketMessages: number;
	objectActiveSeconds: number;
	rowsRead: number;
	rowsWritten: number;
	objectStorageBytes: number;
	r2ClassA: number;
	r2ClassB: number;
	r2StorageBytes: number;
}

export const UNIT_LABELS: Record<keyof Units, string> = {
	workerRequests: "Worker requests",
	workerCpuMs: "Worker CPU time, ms",
	objectCalls: "DO requests: RPC calls, upgrades, alarms",
	socketMessages: "DO requests: incoming WebSocket messages (20:1)",
	objectActiveSeconds: "DO duration while active, s (at 128 MB)",
	rowsRead: "SQLite rows read",
	rowsWritten: "SQLite rows written",
	objectStorageBytes: "SQLite storage, bytes (one month)",
	r2ClassA: "R2 class A operations",
	r2ClassB: "R2 class B operations",
	r2StorageBytes: "R2 storage, bytes (one month)",
};

export const UNIT_KEYS: Array<keyof Units> = ["workerRequests", "workerCpuMs", "objectCalls", "socketMessages", "objectActiveSeconds", "rowsRead", "rowsWritten", "objectStorageBytes", "r2ClassA", "r2ClassB", "r2StorageBytes"];

const GB = 1024 ** 3;

export function dollars(units: Units): Record<keyof Units, number> {
	return {
		workerRequests: units.workerRequests * PRICES.workerRequest,
		workerCpuMs: units.workerCpuMs * PRICES.workerCpuMs,
		objectCalls: units.objectCalls * PRICES.objectRequest,
		socketMessages: (units.socketMessages / WEBSOCKET_MESSAGES_PER_REQUEST) * PRICES.objectRequest,
		objectActiveSeconds: units.objectActiveSeconds * OBJECT_GB * PRICES.objectGbSecond,
		rowsRead: units.rowsRead * PRICES.rowRead,
		rowsWritten: units.rowsWritten * PRICES.rowWritten,
		objectStorageBytes: (units.objectStorageBytes / GB) * PRICES.objectStorageGbMonth * STORAGE_MONTHS,
		r2ClassA: units.r2ClassA * PRICES.r2ClassA,
		r2ClassB: units.r2ClassB * PRICES.r2ClassB,
		r2StorageBytes: (units.r2StorageBytes / GB) * PRICES.r2StorageGbMonth * STORAGE_MONTHS,
	};
}

export interface Bill {
	perUnit: Record<keyof Units, number>;
	perChat: number;
	per1000Chats: number;
	/** Amazon Connect's price for the same chat's messages, per 1,000 chats. */
	amazonConnectPer1000Chats: number;
	/** per1000Chats / amazonConnectPer1000Chats. */
	shareOfAmazonConnect: number;
	dominant: keyof Units;
}

export function bill(units: Units, messages: number): Bill {
	const perUnit = dollars(units);
	const perChat = UNIT_KEYS.reduce((sum, key) => sum + perUnit[key], 0);
	const dominant = UNIT_KEYS.reduce((a, b) => (perUnit[b] > perUnit[a] ? b : a));
	const amazonConnectPer1000Chats = messages * PRICES.amazonConnectMessage * 1000;
	return { perUnit, perChat, per1000Chats: perChat * 1000, amazonConnectPer1000Chats, shareOfAmazonConnect: (perChat * 1000) / amazonConnectPer1000Chats, dominant };
}
