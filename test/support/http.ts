/** The HTTP API as a test sets things up with it: JSON in and out, as the dev agent when asked. */
export const DEV_AGENT_TOKEN = "dev-agent-token";

export async function apiCall<T>(baseUrl: string, path: string, options: { body?: unknown; agent?: boolean; method?: "GET" | "POST" } = {}): Promise<T> {
	const headers: Record<string, string> = { "Content-Type": "application/json" };
	if (options.agent) headers.Authorization = `Bearer ${DEV_AGENT_TOKEN}`;
	const response = await fetch(`${baseUrl}${path}`, {
		method: options.method ?? (options.body === undefined ? "GET" : "POST"),
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}
