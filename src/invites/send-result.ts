/** What a provider said about one invite; `detail` is shown to the agent and kept on the session. */
export type SendResult = { ok: boolean; detail: string };
