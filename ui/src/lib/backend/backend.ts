import { createContext, useContext } from 'react';
import type { Backend, Commands } from './bindings';
import { COMMAND_ARGS } from './bindings';

/**
 * Everything the UI needs from the backend: generated from the Rust command list
 * (bindings.ts), one method per command, arguments in declaration order. Every
 * method rejects with an `IpcError`; use `toIpcError` to normalise unknown rejections.
 */
export type { Backend } from './bindings';

/** A command's name, as in the generated `Commands` map. */
export type Command = keyof Commands;
/** A command's arguments; exactly `{}` for a command without any (the generated `{ }` would accept any value). */
export type CommandArgs<K extends Command> = keyof Commands[K]['args'] extends never
  ? Record<string, never>
  : Commands[K]['args'];
export type CommandResult<K extends Command> = Commands[K]['result'];

/**
 * Sends one command to the Rust core and resolves to its result. `args` are named as
 * Tauri's `invoke` names them (camelCase); an argument whose value is a function is a
 * progress listener, which each transport delivers its own way (a Tauri `Channel`, or
 * the bridge's progress lines).
 */
export type Transport = (command: Command, args: Record<string, unknown>) => Promise<unknown>;

/** `pull_remote` → `pullRemote`, as the generated `Backend` names its methods. */
function methodName(command: string): string {
  return command.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A `Backend` whose every method sends its command over `transport`: positional
 * arguments become the named ones of `COMMAND_ARGS`. Built from the generated list, so
 * a command added in Rust is a method here without any code.
 */
export function backendOver(transport: Transport): Backend {
  const methods: Record<string, (...values: unknown[]) => Promise<unknown>> = {};
  for (const [command, names] of Object.entries(COMMAND_ARGS) as [Command, readonly string[]][]) {
    methods[methodName(command)] = (...values) => {
      // An omitted optional argument is sent as null: Rust reads `Option<T>` from null.
      const args = Object.fromEntries(names.map((name, i) => [name, values[i] === undefined ? null : values[i]]));
      return transport(command, args);
    };
  }
  return methods as unknown as Backend;
}

export const BackendContext = createContext<Backend | null>(null);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend() must be used inside <BackendContext value={backend}>');
  return backend;
}
