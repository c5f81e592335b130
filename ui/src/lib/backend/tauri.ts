import { Channel, invoke } from '@tauri-apps/api/core';
import type { Backend, Command, CommandArgs, CommandResult } from './backend';
import { backendOver } from './backend';
import { toIpcError } from './errors';

export type { Command, CommandArgs, CommandResult } from './backend';

/**
 * Invokes a Tauri command. Name, arguments and result are typed by the
 * `Commands` map generated from the Rust commands, so a wrong command name or
 * argument fails `tsc`. Rejects with an `IpcError`.
 */
export async function call<K extends Command>(command: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
  try {
    return await invoke<CommandResult<K>>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

/**
 * A channel the Rust side reports a command's progress on (its step type is the command's, as the
 * generated `Backend` says). The handler is set before the channel is sent, so no message is missed.
 */
function progressChannel(onProgress: (p: unknown) => void): Channel<unknown> {
  const channel = new Channel<unknown>();
  channel.onmessage = onProgress;
  return channel;
}

/** The backend of the desktop app: every command over Tauri IPC. */
export function tauriBackend(): Backend {
  return backendOver(async (command, args) => {
    const sent = Object.fromEntries(
      Object.entries(args).map(([name, value]) => [
        name,
        typeof value === 'function' ? progressChannel(value as (p: unknown) => void) : value,
      ]),
    );
    try {
      return await invoke(command, sent);
    } catch (e) {
      throw toIpcError(e);
    }
  });
}
