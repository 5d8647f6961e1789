/**
 * The address a caller is counted under. Only Cloudflare's edge sets `CF-Connecting-IP` (it
 * overwrites whatever a client sent), so the header can be trusted only when the Worker runs
 * behind Cloudflare; under `wrangler dev` anyone can write it (docs/security.md).
 *
 * Addresses are parsed, never split as text: `2001:db8::1:0:0:1` and `2001:db8:0:1::1` are in the
 * same /64 only once `::` is expanded, and `::ffff:192.0.2.1` is the IPv4 address it carries.
 */
import ipaddr from "ipaddr.js";

/** One subscriber usually holds a whole IPv6 /64, so the block counts as one address. */
const IPV6_PREFIX_GROUPS = 4;

/** What callers are counted under when the header is missing or is not an address. */
const UNKNOWN_ADDRESS = "unknown";

/** The bucket for a `CF-Connecting-IP` value: an IPv4 address, or an IPv6 /64 in full form. */
export function addressBucket(header: string | undefined): string {
	const value = header?.trim() ?? "";
	if (!ipaddr.isValid(value)) return UNKNOWN_ADDRESS;
	// process() turns an IPv4-mapped IPv6 address into the IPv4 address it carries.
	const address = ipaddr.process(value);
	if (address.kind() === "ipv4") return address.toString();
	return `${address.toNormalizedString().split(":").slice(0, IPV6_PREFIX_GROUPS).join(":")}::/64`;
}
