/** What an error no route answered becomes: a JSON answer that names no more than its kind. */
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "../config";
import { jsonError } from "../http/json-error";
import { logLine } from "../logging/log";

export function errorAnswer(error: Error, requestId: string): Response {
	if (error instanceof ConfigError) return jsonError(503, `server misconfigured: ${error.message}`);
	if (error instanceof HTTPException) return jsonError(error.status, error.message || "bad request");
	// The error's kind and message only: a stack or a cause could carry what a request sent.
	logLine("error", "unhandled", { requestId, error: error.name, message: error.message });
	return jsonError(500, "internal error");
}
