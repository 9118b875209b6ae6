// The SSRF guard for webhook targets: a subscriber must not make the server post to its own loopback,
// the private network or cloud metadata addresses. Checked when a webhook is created, and on every
// delivery in the connection's own DNS lookup, so the address checked is the address connected to
// (a name that resolves to a public address for the check and a private one for the post — DNS
// rebinding — is refused).
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** True for loopback, private, link-local, shared, multicast and unspecified addresses. */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) return blocked.check(ip, 'ipv6');
  return true;
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
        return callback(Object.assign(new Error(`webhook host ${hostname} resolves to ${bad.address}, a loopback, private or link-local address; refused (SSRF guard)`), { code: 'ESSRF' }), '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
