/** The agent console (/ and /console): sign in, then the queue, the cases and the chats. */
import "./lib/jitless";
import { SignedInSchema } from "../shared/api";
import { call } from "./lib/http";
import { consoleLanguage } from "./lib/i18n";
import { pageRoot } from "./lib/page-root";
import { forgetSignedIn, maybeSignedIn, rememberSignedIn } from "./console/signed-in-hint";
import { signInView } from "./console/sign-in";

const lang = await consoleLanguage(navigator.languages);
const app = pageRoot(lang, lang.t.console.title);

/** The console itself loads once someone is signed in: the sign-in screen does not carry the chat, files and queue code. */
async function signedIn(agent: string): Promise<void> {
	rememberSignedIn();
	const { ConsoleApp } = await import("./console/console-app");
	new ConsoleApp(app, lang, agent, (notice) => signInView(app, lang, (name) => void signedIn(name), notice)).start();
}

const me = maybeSignedIn() ? await call("/api/auth/me", SignedInSchema) : null;
app.removeAttribute("aria-busy");
if (me?.ok) await signedIn(me.data.agent);
else {
	forgetSignedIn();
	signInView(app, lang, (name) => void signedIn(name));
}
