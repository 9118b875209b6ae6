// The version `newsflow --version` prints: package.json's, read beside the sources (src/cli or a
// compiled copy at the same depth), so it never disagrees with what npm installed.
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
