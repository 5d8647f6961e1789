/** Request validation that answers bad input with 422 and a list of what is wrong. */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";

export function valid<Target extends keyof ValidationTargets, Schema extends z.core.$ZodType>(target: Target, schema: Schema) {
	return zValidator(target, schema, (result, c) => {
		if (result.success) return;
		const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
		const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
		return c.json({ error: `invalid ${target}: ${summary}`, issues }, 422);
	});
}
