// The SSRF guard for webhook targets: a subscriber must not make the server post to its own loopback,
// the private network or cloud metadata addresses. Checked when a webhook is created, and on every
// delivery in the connection's own DNS lookup, so the address checked is the address connected to
// (a name that resolves to a public address for the check and a private one for the post — DNS
// rebinding — is refused).
// Addresses are classified by ipaddr.js (its table of special-purpose ranges is kept with the IANA
// registries); only global unicast passes. IPv6 forms that carry an IPv4 address (mapped, compatible,
// 6to4, NAT64, Teredo) are judged by the IPv4 inside, since that is where the packets end up.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The IPv4 address in 32 bits of an IPv6 address, starting at bit `from`, skipping bits 64–71 (RFC 6052's u-octet). */
function embeddedIPv4(v6: ipaddr.IPv6, from: number): ipaddr.IPv4 {
  const bytes = v6.toByteArray();
  const out: number[] = [];
  for (let bit = from; out.length < 4; bit += 8) if (bit !== 64) out.push(bytes[bit / 8]);
  return new ipaddr.IPv4(out);
}

/**
 * The IPv4 addresses an IPv6 address stands for, or null when it carries none. Every candidate must be
 * public: for the local-use NAT64 prefix (RFC 8215) the operator picks where the IPv4 sits, so all of
 * RFC 6052's positions are read; Teredo names both its server and its (inverted) client address.
 */
function ipv4Inside(v6: ipaddr.IPv6): ipaddr.IPv4[] | null {
  const p = v6.parts;
  if (v6.isIPv4MappedAddress()) return [v6.toIPv4Address()];
  // ::ffff:0:a.b.c.d (RFC 6145 translated) and the deprecated IPv4-compatible ::a.b.c.d (::/96 but not :: or ::1).
  if (v6.range() === 'rfc6145' || (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7] > 1))) return [embeddedIPv4(v6, 96)];
  if (v6.match(ipaddr.IPv6.parse('64:ff9b::'), 96)) return [embeddedIPv4(v6, 96)];
  if (v6.match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)) return [48, 56, 72, 96].map((from) => embeddedIPv4(v6, from)); // prefix lengths /48, /56, /64, /96
  if (v6.range() === '6to4') return [embeddedIPv4(v6, 16)];
  if (v6.range() === 'teredo') {
    const client = embeddedIPv4(v6, 96).octets.map((o) => o ^ 0xff);
    return [embeddedIPv4(v6, 32), new ipaddr.IPv4(client)];
  }
  return null;
}

/** True only for a global unicast address: IPv4 outside every special range, IPv6 in 2000::/3 likewise. */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return addr.range() === 'unicast';
  const v6 = addr as ipaddr.IPv6;
  const inside = ipv4Inside(v6);
  if (inside) return inside.every((v4) => v4.range() === 'unicast');
  return v6.range() === 'unicast' && v6.match(ipaddr.IPv6.parse('2000::'), 3);
}

/** True for every address that is not global unicast: loopback, private, link-local, shared, multicast, reserved, unspecified. */
export function isPrivateAddress(ip: string): boolean {
  return !isPublicAddress(ip);
}

/**
 * Throws, saying why, when `url` is not an http(s) URL that resolves only to public addresses.
 * `resolve: false` checks an IP literal but leaves names to the connection's own guarded lookup (posts).
 */
export async function checkWebhookUrl(url: string, allowPrivate = false, opts: { resolve?: boolean } = {}): Promise<void> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`webhook url "${url}" is not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`webhook url must be http or https, not ${u.protocol}`);
  if (allowPrivate) return;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else if (opts.resolve === false) return;
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (e) {
      throw new Error(`webhook host ${host} does not resolve: ${(e as Error).message}`);
    }
  }
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new Error(`webhook host ${host} resolves to ${bad}, a loopback, private or link-local address; refused (SSRF guard)`);
}

/**
 * A DNS lookup for the webhook's connection that refuses private addresses, so the socket can only
 * connect to an address that passed the guard. (IP literals are not looked up: checkWebhookUrl covers them.)
 */
export function guardedLookup(allowPrivate = false): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad) {
        return callback(
          Object.assign(new Error(`webhook host ${hostname} resolves to ${bad.address}, a loopback, private or link-local address; refused (SSRF guard)`), {
            code: 'ESSRF',
          }),
          '',
          0,
        );
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
