/**
 * Resident memory and CPU time of the server processes, read from /proc (Linux). wrangler dev runs
 * two workerd processes under its own: one answers the public port and proxies to the other, which
 * runs the Worker and its Durable Objects. CPU time per message is the figure that other work on
 * a shared machine disturbs least.
 */
import { readFileSync, readdirSync } from "node:fs";

export interface ProcessStats {
	pid: number;
	name: string;
	/** For wrangler dev: the workerd that runs the Worker and its objects, or the one that proxies to it. */
	role: "runtime" | "proxy" | "server";
	rssBytes: number;
	/** User and system CPU time used so far. */
	cpuMs: number;
}

/** /proc reports CPU times in clock ticks, which Linux fixes at 100 a second for user space. */
const TICK_MS = 10;

function statOf(pid: number): { name: string; ppid: number; cpuMs: number } | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		// The name is in parentheses and may itself contain spaces or parentheses.
		const close = stat.lastIndexOf(")");
		const name = stat.slice(stat.indexOf("(") + 1, close);
		// After the name: state, ppid, … utime and stime are fields 14 and 15 of the whole line.
		const fields = stat.slice(close + 2).split(" ");
		return { name, ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
	} catch {
		return null;
	}
}

function rssBytes(pid: number): number {
	try {
		const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
		return match?.[1] ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

function roleOf(pid: number, name: string): ProcessStats["role"] {
	if (name !== "workerd") return "server";
	try {
		// Only the runtime is started with an inspector, for the Worker's devtools.
		return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--inspector-addr") ? "runtime" : "proxy";
	} catch {
		return "server";
	}
}

/** The process and all its descendants whose name is `name` (every one when no name is given). */
export function treeStats(rootPid: number, name?: string): ProcessStats[] {
	const children = new Map<number, Array<{ pid: number; name: string; cpuMs: number }>>();
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		const stat = statOf(pid);
		if (!stat) continue;
		const siblings = children.get(stat.ppid) ?? [];
		siblings.push({ pid, name: stat.name, cpuMs: stat.cpuMs });
		children.set(stat.ppid, siblings);
	}
	const root = statOf(rootPid);
	const found: ProcessStats[] = [];
	const queue = root ? [{ pid: rootPid, name: root.name, cpuMs: root.cpuMs }] : [];
	for (let next = queue.shift(); next; next = queue.shift()) {
		if (name === undefined || next.name === name) found.push({ ...next, role: roleOf(next.pid, next.name), rssBytes: rssBytes(next.pid) });
		queue.push(...(children.get(next.pid) ?? []));
	}
	return found;
}

export function totalRss(processes: ProcessStats[]): number {
	return processes.reduce((sum, p) => sum + p.rssBytes, 0);
}

/** The server proper: the runtime workerd (under wrangler dev, its proxy is a development-only extra). */
function server(processes: ProcessStats[]): ProcessStats[] {
	return processes.filter((p) => p.role !== "proxy");
}

export function serverRss(processes: ProcessStats[]): number {
	return totalRss(server(processes));
}

export function serverCpuMs(processes: ProcessStats[]): number {
	return server(processes).reduce((sum, p) => sum + p.cpuMs, 0);
}

/** CPU time of wrangler's development proxy, which copies every frame between client and runtime. */
export function proxyCpuMs(processes: ProcessStats[]): number {
	return processes.filter((p) => p.role === "proxy").reduce((sum, p) => sum + p.cpuMs, 0);
}
