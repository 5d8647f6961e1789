/** The Worker's routes. Everything under /api answers JSON, errors included. */
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { readConfig } from "../config";
import { cases } from "./cases";
import { chats, messages, teams } from "./chats";
import { PART_PATH, files } from "./files";
import type { AppEnv } from "./context";
import { errorAnswer } from "./error-answer";
import { invites } from "./invites";
import { join } from "./join";
import { members } from "./members";
import { jsonBodies } from "./json-bodies";
import { allowMethods } from "./methods";
import { openapi } from "./openapi";
import { pages } from "./pages";
import { queueSocket } from "./queue-socket";
import { requestLog } from "./request-log";
import { responseHeaders } from "./response-headers";
import { routing } from "./routing";
import { queue, sessionSocket, sessions } from "./sessions";
import { signIn } from "./sign-in";
import { agents, caseHistory, transfers } from "./transfers";

export const app = new Hono<AppEnv>();

app.use(requestLog);
app.use(responseHeaders);
app.use(allowMethods(app));
app.get("/healthz", (c) => c.json({ ok: true }));
app.route("/", pages);

app.use("/api/*", async (c, next) => {
	c.set("config", readConfig(c.env));
	await next();
});
const jsonBodyLimit = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json({ error: "request body too large (16 KiB at most)" }, 413) });
// A file's part is bytes, streamed on to R2: no JSON, and its length is checked by the route against the part it is.
// (Not hono's `except`, which builds an Error and a middleware chain on every request it lets through.)
const unlessPart =
	(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
	(c, next) =>
		PART_PATH.test(c.req.path) ? next() : middleware(c, next);
app.use("/api/*", unlessPart(jsonBodyLimit), unlessPart(jsonBodies));

app.route("/api/openapi.json", openapi);
app.route("/api/cases", cases);
app.route("/api/cases", caseHistory);
app.route("/api/sessions", sessionSocket);
// Before the agents' routes, whose guard covers all of /api/sessions: files answer participants too.
app.route("/api/sessions", files);
app.route("/api/sessions", members);
app.route("/api/sessions", sessions);
app.route("/api/sessions", invites);
app.route("/api/sessions", transfers);
app.route("/api/agents", agents);
app.route("/api/queue", queueSocket);
app.route("/api/queue", queue);
app.route("/api/join", join);
app.route("/api/auth", signIn);
app.route("/api/chats", chats);
app.route("/api/teams", teams);
app.route("/api/messages", messages);
app.route("/api/routing", routing);

app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));

app.onError((error, c) => errorAnswer(error, c.get("requestId")));
