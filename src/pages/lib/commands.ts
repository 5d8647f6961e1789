/**
 * The message box's commands. Only a message that is exactly a command is one: anything else,
 * a path like /Users/me/log.txt included, is sent as the text it is.
 */
export type Command = "end" | "resolve";

const COMMANDS: Record<string, Command> = { "/end": "end", "/resolve": "resolve" };

export function commandOf(text: string): Command | null {
	return COMMANDS[text.trim().toLowerCase()] ?? null;
}
