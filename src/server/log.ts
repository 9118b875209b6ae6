// What the server prints: the request log (pretty one-line entries in a terminal, JSON lines for log
// collectors otherwise) and the framed block that makes the demo keys stand out from it.
import type { AppOptions } from '../http/app.ts';
import type { Config } from './config.ts';
import { serializeError } from './stack.ts';

/** The fields of a request-log line that the terminal view reads. */
interface PinoLine {
  reqId?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
  err?: { message?: string };
  [key: string]: unknown;
}

/** The request log for `config`: off when NEWSFLOW_QUIET=1; pretty when `out` is a terminal; JSON otherwise. */
export async function requestLogger(config: Config, out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<AppOptions['logger']> {
  if (config.quiet) return false;
  const err = serializeError;
  if (!out.isTTY) return { level: config.logLevel, stream: out, err };
  // Loaded only for a terminal: a server whose output is collected never pays for it.
  const { default: pretty } = await import('pino-pretty');
  return {
    level: config.logLevel,
    err,
    // In-process and synchronous (no worker thread): a terminal is read by a person, not a pipeline.
    stream: pretty({
      destination: out,
      sync: true,
      colorize: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,reqId,req,res,responseTime',
      hideObject: true,
      messageFormat: (log: PinoLine, messageKey: string) => {
        const id = log.reqId ? `${log.reqId} ` : '';
        if (log.req) return `${id}${log.req.method} ${log.req.url}`;
        if (log.res) return `${id}→ ${log.res.statusCode} in ${Math.round(Number(log.responseTime ?? 0))} ms`;
        const err = log.err ? `: ${log.err.message ?? ''}` : '';
        return `${id}${log[messageKey] ?? ''}${err}`;
      },
    }),
  };
}

/** Lines in a frame: a title, then label/value rows (an optional note after the value). */
export function keyBlock(title: string, rows: [string, string, string?][]): string {
  const lines = [title, ...rows.flatMap(([label, value, note]) => [`  ${label.padEnd(10)} ${value}`, ...(note ? [`  ${''.padEnd(10)} ${note}`] : [])])];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  return ['', `┌${bar}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${bar}┘`, ''].join('\n') + '\n';
}
