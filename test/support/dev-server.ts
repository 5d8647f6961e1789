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
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
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

export async function startDevServer(options: { vars?: Record<string, string>; timeoutMs?: number } = {}): Promise<DevServer> {
	const port = await freePort();
	const state = mkdtempSync(join(tmpdir(), "support-chat-"));
	const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--inspector-port", "0", "--show-interactive-dev-session=false"];
	for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
	const child = spawn("npx", args, { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" }, detached: true });
	let output = "";
	child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
	const url = `http://127.0.0.1:${port}`;

	const stop = async () => {
		if (child.exitCode === null && child.pid) {
			const exited = new Promise((resolve) => child.once("exit", resolve));
			process.kill(-child.pid, "SIGTERM");
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
			if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
		}
		rmSync(state, { recursive: true, force: true });
	};

	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`);
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) return { url, stop, output: () => output };
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	await stop();
	throw new Error(`wrangler dev did not answer within the time limit:\n${output}`);
}
