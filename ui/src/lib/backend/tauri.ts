import { Channel, invoke } from '@tauri-apps/api/core';
import type { Backend, Command, CommandArgs, CommandResult } from './backend';
import { backendOver } from './backend';
import type { SyncProgress } from './bindings';
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

/** A channel the Rust side reports sync progress on. The handler is set before the channel is sent, so no message is missed. */
function progressChannel(onProgress: (p: SyncProgress) => void): Channel<SyncProgress> {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  return channel;
}

/** The backend of the desktop app: every command over Tauri IPC. */
export function tauriBackend(): Backend {
  return backendOver(async (command, args) => {
    const sent = Object.fromEntries(
      Object.entries(args).map(([name, value]) => [
        name,
        typeof value === 'function' ? progressChannel(value as (p: SyncProgress) => void) : value,
      ]),
    );
    try {
      return await invoke(command, sent);
    } catch (e) {
      throw toIpcError(e);
    }
  });
}
