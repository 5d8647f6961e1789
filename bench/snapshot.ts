/**
 * A copy of the project, taken when the benchmark starts, for the servers to bundle and serve.
 * Servers are started again after W3, and `wrangler dev` reloads the Worker whenever a file under
 * src/ changes; serving a copy means that edits made while the benchmark runs neither restart a
 * server halfway through nor mix two versions of the code.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";

/** Not copied: dependencies (linked instead), build output and local state. */
const SKIPPED = new Set(["node_modules", ".git", ".wrangler", "bench-results", "test-results", "dist", join("public", "build")]);

export interface Snapshot {
	dir: string;
	remove(): void;
}

export function snapshotProject(root = process.cwd()): Snapshot {
	const dir = mkdtempSync(join(tmpdir(), "support-chat-bench-"));
	const from = resolve(root);
	cpSync(from, dir, {
		recursive: true,
		filter: (source) => {
			const path = relative(from, source);
			return !SKIPPED.has(path) && !path.endsWith(`${sep}.wrangler`);
		},
	});
	symlinkSync(join(from, "node_modules"), join(dir, "node_modules"), "dir");
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Where the servers keep their local state: in memory when the machine has a tmpfs. Both Durable
 * Object targets commit a SQLite transaction per message, and on a disk each commit waits for an
 * fsync whose time depends on whatever else is writing to that disk; in memory, the comparison is
 * between the two designs, not between moments of the disk. `--disk` measures on disk instead.
 */
export const MEMORY_DISK = existsSync("/dev/shm") ? "/dev/shm" : undefined;

/** What makes up the Worker in a revision: its code, its page build and its configuration. */
const WORKER_PARTS = ["src", "scripts", "public", "wrangler.toml", ".dev.vars"];

/**
 * A copy of the project whose Worker is the one of an earlier revision (`--chat-from REV`): the
 * bench, its floor and the dependencies stay today's, so the earlier chat is measured by the same
 * harness in the same run as today's floor (issue 10's before and after).
 */
export function snapshotRevision(revision: string, root = process.cwd()): Snapshot {
	const snapshot = snapshotProject(root);
	for (const part of WORKER_PARTS) rmSync(join(snapshot.dir, part), { recursive: true, force: true });
	const archive = execFileSync("git", ["archive", "--format=tar", revision, ...WORKER_PARTS], { cwd: root, maxBuffer: 256 * 2 ** 20 });
	execFileSync("tar", ["-x", "-C", snapshot.dir], { input: archive });
	return snapshot;
}
