/**
 * Starts the Worker the way a developer does, `wrangler dev`, on a free loopback port with its own
 * state folder, and stops it again. Used by the Node tests, the browser tests and the benchmark.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DevServer {
	url: string;
	/** Everything wrangler has printed so far (logs of simulated bindings included). */
	output(): string;
	/** The process group wrangler leads; workerd runs inside it (the benchmark measures its memory). */
	pid: number;
	/** Where devtools attach to the Worker (the benchmark reads its heap and its meters there). */
	inspectorPort: number;
	stop(): Promise<void>;
}

export interface DevServerOptions {
	/** The project folder to serve (default: the current one), e.g. the benchmark's copy of it. */
	cwd?: string;
	/** A wrangler.toml other than the project's own, e.g. the benchmark's floor Worker. */
	config?: string;
	vars?: Record<string, string>;
	/** Where the local state folder is created (default: the system's temp folder). */
	stateParent?: string;
	/** Where devtools can attach to the Worker, e.g. to profile it; by default a free port, picked again on a clash. */
	inspectorPort?: number;
	timeoutMs?: number;
	/**
	 * `wrangler` (default): `wrangler dev`, as a developer runs it. `miniflare`: the same workerd
	 * through Miniflare's API (bench/miniflare-server.ts), without wrangler's development proxy in
	 * front of it; the benchmark's choice.
	 */
	runner?: "wrangler" | "miniflare";
}

/**
 * Waits for something the server writes to its log (a simulated binding's output, say), with a
 * time limit. The log is a stream of text with no event for a given line: it is looked at every
 * 100 ms.
 */
export async function logged(server: DevServer, pattern: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
	const deadline = Date.now() + ms;
	for (;;) {
		const match = server.output().match(pattern);
		if (match) return match;
		if (Date.now() > deadline) throw new Error(`wrangler never logged ${pattern}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			const port = typeof address === "object" && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * A port from `freePort` is free when it is picked, not when the child binds it: servers started
 * side by side (the benchmark's targets, a test's two servers) and workerd's own internal sockets
 * can take it in between. A child that dies of that clash is started again on fresh ports.
 */
const ADDRESS_IN_USE = /ERR_ADDRESS_IN_USE|EADDRINUSE|Address already in use/;
const ATTEMPTS = 3;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await launch(options);
		} catch (error) {
			if (!(error instanceof AddressInUse) || attempt === ATTEMPTS) throw error;
		}
	}
}

class AddressInUse extends Error {}

async function launch(options: DevServerOptions): Promise<DevServer> {
	const port = await freePort();
	const inspectorPort = options.inspectorPort ?? (await freePort());
	const state = mkdtempSync(join(options.stateParent ?? tmpdir(), "support-chat-"));
	const args =
		options.runner === "miniflare"
			? ["tsx", "bench/miniflare-server.ts", "--port", String(port), "--persist-to", state]
			: ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--show-interactive-dev-session=false"];
	args.push("--inspector-port", String(inspectorPort));
	if (options.config) args.push("--config", options.config);
	for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
	const child = spawn("npx", args, { cwd: options.cwd ?? process.cwd(), stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" }, detached: true });
	const pid = child.pid;
	if (pid === undefined) throw new Error("wrangler dev did not start");
	let output = "";
	child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
	const url = `http://127.0.0.1:${port}`;

	const stop = async () => {
		if (child.exitCode === null) {
			const exited = new Promise((resolve) => child.once("exit", resolve));
			process.kill(-pid, "SIGTERM");
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
			if (child.exitCode === null) process.kill(-pid, "SIGKILL");
		}
		rmSync(state, { recursive: true, force: true });
	};

	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			rmSync(state, { recursive: true, force: true });
			const message = `wrangler dev exited with ${child.exitCode}:\n${output}`;
			throw ADDRESS_IN_USE.test(output) ? new AddressInUse(message) : new Error(message);
		}
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) return { url, pid, inspectorPort, stop, output: () => output };
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	await stop();
	throw new Error(`wrangler dev did not answer within the time limit:\n${output}`);
}
