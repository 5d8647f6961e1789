/** Request validation that answers bad input with 422 and a list of what is wrong. */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";

/** The 422 for input that does not fit its schema: `target` names the part of the request (json, param, query). */
export function invalidInput(target: string, error: z.core.$ZodError): Response {
	const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
	const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
	return Response.json({ error: `invalid ${target}: ${summary}`, issues }, { status: 422 });
}

export function valid<Target extends keyof ValidationTargets, Schema extends z.core.$ZodType>(target: Target, schema: Schema) {
	return zValidator(target, schema, (result) => {
		if (!result.success) return invalidInput(target, result.error);
	});
}
