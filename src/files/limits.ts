/**
 * What a deployment lets a chat carry, from wrangler.toml [vars] (read with the rest of the
 * configuration in src/config.ts).
 */
import { z } from "zod";
import type { FileGroup } from "./file-types";
import { FILE_GROUPS } from "./file-types";

const SCAN_TIMEOUT_RULES = ["block", "release"] as const;
type ScanTimeoutRule = (typeof SCAN_TIMEOUT_RULES)[number];

export interface FileLimits {
	maxFileBytes: number;
	maxSessionBytes: number;
	allowed: ReadonlySet<FileGroup>;
	/** Where finished files are sent to be checked before anyone may open them; null for no check. */
	scannerUrl: string | null;
	scanTimeoutMs: number;
	/** What happens to a file the scanner did not answer for in time. */
	scanTimeoutRule: ScanTimeoutRule;
	/** How long an unfinished upload may sit without a new part before it is aborted. */
	abandonAfterMs: number;
}

const MiB = 1024 * 1024;
const positive = z.coerce.number().int().positive();

export const FileEnvSchema = z.object({
	FILE_MAX_BYTES: positive.default(25 * MiB),
	FILE_SESSION_MAX_BYTES: positive.default(200 * MiB),
	FILE_TYPES: z
		.string()
		.default(FILE_GROUPS.join(","))
		.transform((list, ctx) => {
			const groups = list.split(",").map((g) => g.trim()).filter(Boolean);
			const unknown = groups.filter((g) => !FILE_GROUPS.some((known) => known === g));
			if (unknown.length > 0) ctx.addIssue({ code: "custom", message: `FILE_TYPES: unknown group ${unknown.join(", ")} (known: ${FILE_GROUPS.join(", ")})` });
			return new Set(FILE_GROUPS.filter((g) => groups.includes(g)));
		}),
	FILE_SCANNER_URL: z.union([z.literal(""), z.url()]).default(""),
	FILE_SCAN_TIMEOUT_SECONDS: positive.default(30),
	FILE_SCAN_TIMEOUT_RULE: z.enum(SCAN_TIMEOUT_RULES).default("block"),
	FILE_ABANDON_SECONDS: positive.default(3600),
});

export function fileLimits(e: z.infer<typeof FileEnvSchema>): FileLimits {
	return {
		maxFileBytes: e.FILE_MAX_BYTES,
		maxSessionBytes: e.FILE_SESSION_MAX_BYTES,
		allowed: e.FILE_TYPES,
		scannerUrl: e.FILE_SCANNER_URL || null,
		scanTimeoutMs: e.FILE_SCAN_TIMEOUT_SECONDS * 1000,
		scanTimeoutRule: e.FILE_SCAN_TIMEOUT_RULE,
		abandonAfterMs: e.FILE_ABANDON_SECONDS * 1000,
	};
}
