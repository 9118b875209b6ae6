// Commands that other modules add (subscribers, products, search); each registers itself here.
import type { Command } from 'commander';
import { registerSubscriberCommands } from './subscribers.ts';
import { registerSearchCommands } from './search.ts';
import { registerMediaCommands } from './media.ts';

export function registerExtraCommands(program: Command): void {
  registerSubscriberCommands(program);
  registerSearchCommands(program);
  registerMediaCommands(program);
}
