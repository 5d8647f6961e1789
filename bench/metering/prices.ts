/**
 * Published prices the cost workload (W6) converts its units with: marginal prices beyond the
 * Workers Paid plan's included amounts (the $5 a month and what it includes are left out, since a
 * deployment with many chats is past them). Read on 2026-12-01; where each figure comes from is in
 * docs/performance.md ("W6, cost per chat"). Change them here when the pages change.
 */
export const PRICES = {
	/** developers.cloudflare.com/workers/platform/pricing: Standard, $0.30 per million requests. */
	workerRequest: 0.3 / 1e6,
	/** Same page: $0.02 per million CPU milliseconds. */
	workerCpuMs: 0.02 / 1e6,
	/** developers.cloudflare.com/durable-objects/platform/pricing: $0.15 per million requests (incoming WebSocket messages at 20:1). */
	objectRequest: 0.15 / 1e6,
	/** Same page: $12.50 per million GB-s, billed at 128 MB per object. */
	objectGbSecond: 12.5 / 1e6,
	/** Same page, SQLite storage backend: $0.001 per million rows read. */
	rowRead: 0.001 / 1e6,
	/** $1.00 per million rows written. */
	rowWritten: 1 / 1e6,
	/** $0.20 per GB-month of SQL stored data. */
	objectStorageGbMonth: 0.2,
	/** developers.cloudflare.com/r2/pricing: Standard storage, Class A $4.50 and Class B $0.36 per million, $0.015 per GB-month. */
	r2ClassA: 4.5 / 1e6,
	r2ClassB: 0.36 / 1e6,
	r2StorageGbMonth: 0.015,
	/** aws.amazon.com/connect/pricing: chat, per message sent or received. */
	amazonConnectMessage: 0.01,
} as const;

/** Incoming WebSocket messages billed as one Durable Object request per 20. */
export const WEBSOCKET_MESSAGES_PER_REQUEST = 20;
/** Duration is billed for the 128 MB an object is allocated. */
export const OBJECT_GB = 0.128;
/** Storage is counted for one month in the price per chat: how long a deployment keeps chats is its own choice. */
export const STORAGE_MONTHS = 1;
