/**
 * The texts of the chat page customers start a chat from (the pre-chat form, waiting, leaving a
 * message) in English, apart from what every customer page shares (en.ts): only that page loads
 * them. The other languages have the same shape (ChatStartStrings).
 */
export const chatStartEn = {
	// The pre-chat form and waiting (the chat page, /chat, opened by the website widget or a case link)
	prechat: {
		title: (team: string) => `Chat with ${team}`,
		intro: "Tell us who you are and what it is about: an agent joins you as soon as one is free.",
		about: (caseId: string, subject: string) => `About your case ${caseId}: ${subject}`,
		name: "Your name",
		email: "Email (optional)",
		emailHint: "So that we can answer you if you leave before an agent is free.",
		queue: "Topic",
		topic: "What is it about? (optional)",
		start: "Start the chat",
		starting: "Starting the chat…",
		nameMissing: "Please tell us your name.",
		emailInvalid: "That email address does not look right.",
		solveFirst: "Please complete the check below first.",
		challengeBody: "Before the chat starts we need to check that you are a person and not a program.",
		closedTitle: (team: string) => `${team} is closed right now`,
		closedBody: "Leave us a message and we will get back to you.",
		opensAt: (time: string) => `We open again ${time}.`,
		message: "Your message",
		send: "Send the message",
		messageMissing: "Please write your message.",
		leftTitle: "Thank you, we have your message",
		leftByEmail: "We will answer you by email.",
		leftInCase: (caseId: string) => `Your message is case ${caseId}. We will answer you there.`,
		place: (n: number) => `You are number ${n} in the queue`,
		wait: (time: string) => `Estimated wait: about ${time}`,
		nobody: "Nobody is available to chat right now. You can wait, or leave a message and we will get back to you.",
		leaveInstead: "Leave a message instead",
		close: "Close the chat",
		newChat: "Start a new chat",
		busyTitle: "Many chats are starting right now",
		busyBody: "Please try again in a minute.",
		caseLinkTitle: "This case link no longer works",
		caseLinkBody: "It has expired or is not valid. Ask for a new link, or start a new chat.",
		caseResolvedTitle: "This case is resolved",
		caseResolvedBody: "A resolved case cannot be chatted about. If you need help again, start a new chat.",
	},
};

export type ChatStartStrings = typeof chatStartEn;
