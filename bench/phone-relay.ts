/**
 * W7's network for the phone's sockets: a proxy on loopback between the phone's Chromium and the
 * chat server. Chromium's network emulation holds every request, a WebSocket's upgrade too, for
 * the profile's latency, but not the frames after the upgrade (measured: a frame sent later
 * arrived 13 ms after the send under Slow 4G). The relay adds what the emulation leaves out:
 * each frame after the upgrade waits half the latency, each way, in order. What the server sends
 * before the page has said anything (the join's answer, the state frame, the history, sent as it
 * accepts the socket) passes at once: it comes with the upgrade's answer, which the emulation
 * has already held for the round trip. HTTP passes through as it is, bytes and all, but for its
 * Host and Origin, which become the server's: the server checks an Origin against its own.
 *
 * Until 2026-12-02 W7 relayed through Playwright's WebSocket routing, which runs in the page: the
 * real socket was opened only once a message from the page had reached Node and the answer had
 * come back to the page's main thread. A page busy on its main thread (running its scripts) had
 * its socket opened late by the bench, where a phone's network opens it at once.
 */
import type { IncomingMessage } from "node:http";
import { createServer, request } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { RawData } from "ws";
import { WebSocket, WebSocketServer } from "ws";

/** Epoch milliseconds, as the page's performance.timeOrigin + performance.now() are: both clocks in one. */
export const nodeNow = (): number => performance.timeOrigin + performance.now();

export interface PhoneRelay {
	/** The relay's origin: the phone opens its pages here. */
	origin: string;
	/** Each text frame handed to the phone, when (Node's clock, epoch ms). */
	handed: Array<{ at: number; data: string }>;
	close(): Promise<void>;
}

/** Runs each step at its time (Node's clock), one after another in the order they were handed in. */
function inOrder(): (at: number, step: () => void) => void {
	const queue: Array<{ at: number; step: () => void }> = [];
	const next = (): void => {
		const head = queue[0];
		if (!head) return;
		setTimeout(() => {
			queue.shift();
			head.step();
			next();
		}, Math.max(0, head.at - nodeNow()));
	};
	return (at, step) => {
		queue.push({ at, step });
		if (queue.length === 1) next();
	};
}

/** Ends `socket` as the other side ended: a dropped connection (1006) is dropped, a close without a code (1005) closes without one. */
function endLike(socket: WebSocket, code: number, reason: Buffer): void {
	if (code === 1006) return socket.terminate();
	if (code === 1005) return socket.close();
	socket.close(code, reason);
}

/** What HTTP says of a hop, not of the answer: the relay's own connection sets these. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length"]);

export async function startPhoneRelay(target: string, latencyMs: number): Promise<PhoneRelay> {
	const upstream = new URL(target);
	if (upstream.protocol !== "http:") throw new Error(`the phone's relay forwards to http: servers on loopback, not ${target}`);
	const oneWay = latencyMs / 2;
	const handed: PhoneRelay["handed"] = [];
	const toServers = new Set<WebSocket>();
	const sockets = new WebSocketServer({ noServer: true, handleProtocols: (_offered, req: IncomingMessage & { chosen?: string }) => req.chosen ?? false });
	const asServer = (origin: string | undefined) => (origin === undefined ? {} : { origin: upstream.origin });

	const server = createServer((req, res) => {
		const headers = { ...req.headers, host: upstream.host, ...(req.headers.origin === undefined ? {} : { origin: upstream.origin }) };
		const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		forwarded.on("error", () => res.destroy());
		req.pipe(forwarded);
	});

	server.on("upgrade", (req: IncomingMessage & { chosen?: string }, socket: Socket, head: Buffer) => {
		const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim()).filter(Boolean);
		let toServer: WebSocket;
		try {
			toServer = new WebSocket(new URL(req.url ?? "/", `ws://${upstream.host}`), offered, asServer(req.headers.origin));
		} catch {
			return socket.destroy();
		}
		toServers.add(toServer);
		toServer.on("close", () => toServers.delete(toServer));
		// The phone gone before its upgrade was answered: so is the relay's socket to the server.
		let upgraded = false;
		socket.on("error", () => toServer.terminate());
		socket.once("close", () => upgraded || toServer.terminate());
		const early: Array<{ data: RawData; isBinary: boolean }> = [];
		toServer.on("message", (data, isBinary) => early.push({ data, isBinary }));
		// A refused upgrade (401, 403, 426): the phone gets the server's status and body.
		toServer.on("unexpected-response", (refused, answer) => {
			const headers = Object.entries(answer.headers).flatMap(([k, v]) => (HOP_BY_HOP.has(k) || v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((one) => `${k}: ${one}`)));
			socket.write([`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`, ...headers, "connection: close", "", ""].join("\r\n"));
			answer.pipe(socket);
			answer.on("end", () => refused.destroy());
		});
		toServer.on("error", () => socket.destroy());
		toServer.on("open", () => {
			req.chosen = toServer.protocol;
			sockets.handleUpgrade(req, socket, head, (phone) => {
				upgraded = true;
				const toPhone = inOrder();
				let phoneSpoke = false;
				const deliver = (data: RawData, isBinary: boolean) => {
					if (!isBinary) handed.push({ at: nodeNow(), data: data.toString() });
					if (phone.readyState === WebSocket.OPEN) phone.send(data, { binary: isBinary });
				};
				toServer.removeAllListeners("message");
				for (const frame of early) deliver(frame.data, frame.isBinary);
				toServer.on("message", (data, isBinary) => {
					if (!phoneSpoke) return deliver(data, isBinary);
					toPhone(nodeNow() + oneWay, () => deliver(data, isBinary));
				});
				phone.on("message", (data, isBinary) => {
					phoneSpoke = true;
					setTimeout(() => toServer.readyState === WebSocket.OPEN && toServer.send(data, { binary: isBinary }), oneWay);
				});
				phone.on("error", () => toServer.terminate());
				phone.on("close", (code, reason) => setTimeout(() => endLike(toServer, code, reason), oneWay));
				toServer.on("close", (code, reason) => toPhone(nodeNow() + oneWay, () => endLike(phone, code, reason)));
			});
		});
	});

	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	if (address === null || typeof address === "string") throw new Error("the phone's relay has no port");
	return {
		origin: `http://127.0.0.1:${address.port}`,
		handed,
		close: async () => {
			for (const client of sockets.clients) client.terminate();
			for (const toServer of toServers) toServer.terminate();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
