/** Every error the API answers is JSON of this one shape: `{ "error": "what went wrong" }`. */
export function jsonError(status: number, error: string, headers?: HeadersInit): Response {
	return Response.json({ error }, { status, headers });
}
