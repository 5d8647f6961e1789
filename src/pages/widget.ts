/**
 * The website widget: one <script> tag on any site puts a launcher button in the corner; the
 * first click frames this deployment's chat page (/chat), so the chat, its tokens and its storage
 * live in this deployment's origin and never in the host page's. On a phone the frame takes the
 * whole screen. The script itself stays tiny (a size test holds it to 15 KB) and imports nothing;
 * everything else loads only when the chat is opened.
 *
 *   <script src="https://chat.example.com/build/widget.js" async
 *     data-team="support" data-lang="de" data-color="#1b5fd0" data-text-color="#ffffff"
 *     data-label="Chat with us" data-case-token="…from your backend…"></script>
 *
 * Which sites may frame the chat is the deployment's WIDGET_ORIGINS; any other gets a refusal.
 */
const script = document.currentScript;
if (script instanceof HTMLScriptElement) mount(script);

function mount(tag: HTMLScriptElement): void {
	const data = tag.dataset;
	const base = new URL(data.url ?? tag.src).origin;
	const color = safeColor(data.color) ?? "#1b5fd0";
	const textColor = safeColor(data.textColor) ?? "#ffffff";
	const label = data.label ?? "Chat with us";

	const host = document.createElement("div");
	host.setAttribute("data-support-chat", "");
	// A shadow root keeps the host page's styles off the launcher and the launcher's off the page.
	const root = host.attachShadow({ mode: "open" });
	const style = document.createElement("style");
	// The frame is full screen below 600 px: a phone's keyboard and a small chat box do not mix.
	style.textContent = `
		.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483646; border: 0; border-radius: 28px; padding: 14px 20px;
			font: 600 16px/1.2 system-ui, sans-serif; background: ${color}; color: ${textColor}; box-shadow: 0 4px 16px rgba(0,0,0,.25); cursor: pointer; }
		.launcher:focus-visible { outline: 3px solid ${color}; outline-offset: 3px; }
		.frame { position: fixed; right: 20px; bottom: 84px; z-index: 2147483647; width: 380px; height: min(640px, calc(100vh - 104px));
			border: 0; border-radius: 12px; box-shadow: 0 8px 32px rgba(0,0,0,.3); background: #fff; }
		.frame[hidden] { display: none; }
		@media (max-width: 600px) {
			.frame { inset: 0; width: 100%; height: 100%; border-radius: 0; }
			:host(.open) .launcher { display: none; }
		}`;
	const launcher = document.createElement("button");
	launcher.type = "button";
	launcher.className = "launcher";
	launcher.textContent = label;
	launcher.setAttribute("aria-expanded", "false");
	root.append(style, launcher);

	let frame: HTMLIFrameElement | null = null;
	const setOpen = (open: boolean): void => {
		host.classList.toggle("open", open);
		launcher.setAttribute("aria-expanded", String(open));
		if (!frame) return;
		frame.hidden = !open;
		// Keyboard and screen-reader users land in the chat, and back on the launcher when it folds away.
		if (open) frame.focus();
		else launcher.focus();
	};
	launcher.addEventListener("click", () => {
		if (!frame) {
			frame = document.createElement("iframe");
			frame.className = "frame";
			frame.title = label;
			frame.allow = "clipboard-write";
			const query = new URLSearchParams({ team: data.team ?? "support", embed: "1" });
			if (data.lang) query.set("lang", data.lang);
			if (data.queue) query.set("queue", data.queue);
			frame.src = `${base}/chat?${query.toString()}${data.caseToken ? `#case=${encodeURIComponent(data.caseToken)}` : ""}`;
			root.append(frame);
			setOpen(true);
			return;
		}
		setOpen(!host.classList.contains("open"));
	});
	// Only the chat page, from the deployment's own origin, may fold the chat away.
	window.addEventListener("message", (event) => {
		if (event.origin === base && frame && event.source === frame.contentWindow && isClose(event.data)) {
			setOpen(false);
		}
	});
	document.body.append(host);
}

function isClose(data: unknown): boolean {
	return typeof data === "object" && data !== null && "type" in data && data.type === "support-chat:close";
}

/** Colours go into a style sheet: only plain colour values, never anything that could end the rule. */
function safeColor(value: string | undefined): string | null {
	return value !== undefined && /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|rgba?\([\d\s.,%]+\))$/.test(value) ? value : null;
}
