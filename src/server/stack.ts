// Stack traces of the running server name the .ts sources, mapped when an error is logged rather than
// when the server starts: Node's own source-map support parses and keeps the map of every module it
// loads, 2.5–4 MB of an idle server's heap (the 100 MB budget of test/server/idle-rss.test.ts), for
// traces that are rare. Other commands (short-lived) keep Node's support (bin/newsflow.mjs).
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdSerializers } from 'pino';

const maps = new Map<string, SourceMap | null>();

/** The source map beside a compiled file (`x.js.map`), read once; null when there is none. */
function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

// A frame's location: `/abs/path/x.js:12:5` or `file:///abs/path/x.js:12:5`.
const FRAME = /((?:file:\/\/)?\/[^\s():]+\.js):(\d+):(\d+)/g;

/** The stack with every frame of a compiled file that has a source map rewritten to its source. */
export function mapStack(stack: string): string {
  return stack.replace(FRAME, (whole, where: string, line: string, column: string) => {
    const file = where.startsWith('file://') ? fileURLToPath(where) : where;
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return whole;
    return `${resolve(dirname(file), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

/** A logged error as pino writes it, with its stack mapped to the sources. */
export function serializeError(e: Error): { type: string; message: string; stack: string; [key: string]: unknown } {
  const out = stdSerializers.err(e);
  return { ...out, stack: mapStack(out.stack ?? '') };
}
