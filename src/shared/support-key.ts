/** A support key as people read it: nine digits in three groups, 123 456 789. */
export function groupedKey(key: string): string {
	return key.replace(/^(\d{3})(\d{3})(\d{3})$/, "$1 $2 $3");
}
