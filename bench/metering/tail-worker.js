// The cost workload's tail Worker (bench/miniflare-server.ts --meter): workerd hands it a trace of
// every invocation of the chat Worker and of its Durable Objects, and it prints one line per
// invocation for the benchmark to read (bench/metering/traces.ts). Plain JavaScript: Miniflare
// loads it as it is, without wrangler's bundler.
const kindOf = (event) => {
	if (!event) return "unknown";
	if ("request" in event) return "fetch";
	if ("rpcMethod" in event) return "rpc";
	if ("getWebSocketEvent" in event) return `ws-${event.getWebSocketEvent?.webSocketEventType ?? "event"}`;
	if ("scheduledTime" in event && !("cron" in event)) return "alarm";
	return Object.keys(event).join("+") || "unknown";
};

export default {
	tail(traces) {
		for (const trace of traces) {
			const line = {
				entrypoint: trace.entrypoint ?? null,
				model: trace.executionModel ?? null,
				kind: kindOf(trace.event),
				at: trace.eventTimestamp ?? null,
				wallMs: trace.wallTime ?? null,
				cpuMs: trace.cpuTime ?? null,
				outcome: trace.outcome ?? null,
				path: trace.event && "request" in trace.event ? new URL(trace.event.request.url).pathname : null,
				method: trace.event && "rpcMethod" in trace.event ? trace.event.rpcMethod : null,
			};
			console.log(`bench-trace ${JSON.stringify(line)}`);
		}
	},
};
