/** The token of an `Authorization: Bearer <token>` header; null without one. */
export function bearerToken(header: string | undefined): string | null {
	return /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1] ?? null;
}
