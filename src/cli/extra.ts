// Commands that other modules add (subscribers, products, search); each registers itself here.
import type { Command } from 'commander';

export function registerExtraCommands(_program: Command): void {}
