/** Recipients as the session records them: enough to recognise, not enough to harvest. */
const DOT = "\u2022";

/** +4915112345678 → +49•••••678: a fixed run of dots, so not even the length shows. */
export function maskPhone(phone: string): string {
	return phone.slice(0, 3) + DOT.repeat(5) + phone.slice(-3);
}

/** dana.scully@example.com → d•••@example.com */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf("@");
	return `${email.slice(0, 1)}${DOT.repeat(3)}${email.slice(at)}`;
}
