/** The pages' calls to the API: JSON in and out, each answer checked with its schema. */
import type { ZodMiniType } from "zod/mini";
import { ErrorSchema } from "../../shared/api";

/** A refusal keeps its whole body (`body`) for the few that carry more than `error`, such as a 428's challenge. */
export type Answer<T> = { ok: true; data: T } | { ok: false; status: number; error: string; retryAfterSeconds: number | null; body: unknown };

/** Status 0: the request never got an answer (offline, server down). */
export const NO_ANSWER = 0;

/** `token`: a participant's token, for the calls a chat makes beside its socket (an agent's console goes by its cookie). */
export async function call<T>(path: string, schema: ZodMiniType<T>, init: { method?: "GET" | "POST"; body?: unknown; token?: string } = {}): Promise<Answer<T>> {
	// Inside the async function, so that a body JSON cannot encode is a refused promise, not a throw.
	const response = fetch(path, {
		method: init.method ?? "GET",
		headers: { ...(init.body === undefined ? {} : { "Content-Type": "application/json" }), ...(init.token === undefined ? {} : { Authorization: `Bearer ${init.token}` }) },
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
	});
	return answerOf(response, schema);
}

/** The answer to a request already under way (the join page's early join, join.html). */
export async function answerOf<T>(request: Promise<Response>, schema: ZodMiniType<T>): Promise<Answer<T>> {
	let response: Response;
	try {
		response = await request;
	} catch {
		return { ok: false, status: NO_ANSWER, error: "no answer from the server", retryAfterSeconds: null, body: null };
	}
	const json: unknown = response.status === 204 ? null : await response.json().catch(() => undefined);
	if (!response.ok) {
		const body = ErrorSchema.safeParse(json);
		const retryAfter = Number(response.headers.get("Retry-After"));
		return {
			ok: false,
			status: response.status,
			error: body.success ? body.data.error : `the server answered ${response.status}`,
			retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
			body: json,
		};
	}
	const parsed = schema.safeParse(json);
	if (!parsed.success) return { ok: false, status: response.status, error: "the server's answer was not understood", retryAfterSeconds: null, body: json };
	return { ok: true, data: parsed.data };
}
