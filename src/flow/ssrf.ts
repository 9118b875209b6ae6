// The SSRF guard for webhook targets: a subscriber must not make the server post to its own loopback,
// the private network or cloud metadata addresses. Checked when a webhook is created and again before
// every delivery (DNS can change between the two).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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

/** True when NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS=1 (tests and closed networks). */
export function privateWebhooksAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS === '1';
}

/** Throws, saying why, when `url` is not an http(s) URL that resolves only to public addresses. */
export async function checkWebhookUrl(url: string, allowPrivate = privateWebhooksAllowed()): Promise<void> {
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
