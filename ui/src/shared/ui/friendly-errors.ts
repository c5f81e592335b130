import type { IpcError } from '../../lib/backend/bindings';

type FriendlyError = { title: string; hint: string };

/** Friendly words for each IpcError code. Branch on codes only, never on message text. */
const BY_CODE: Record<string, FriendlyError> = {
  validation: {
    title: 'Some fields need attention',
    hint: 'Fix the highlighted fields and try again.',
  },
  not_found: {
    title: 'That item no longer exists',
    hint: 'It may have been deleted in the meantime. Refresh the list and try again.',
  },
  conflict: {
    title: 'That key is already taken',
    hint: 'Another segment already uses this key. Choose a different key.',
  },
  invalid_json: {
    title: "That isn't valid JSON",
    hint: 'Check for missing quotes, commas or brackets.',
  },
  too_large: {
    title: 'That is too large',
    hint: 'Try a smaller file or fewer conditions.',
  },
  reference: {
    title: 'Other segments depend on this',
    hint: 'This segment is used (or uses another segment) in an "is in segment" condition. Update those segments first.',
  },
  storage: {
    title: "Couldn't read or write your data",
    hint: 'Nothing was changed. Check there is free disk space and try again.',
  },
  file: {
    title: "Couldn't save the file",
    hint: 'Check that your Downloads folder exists and that you can write to it.',
  },
  unauthorized: {
    title: 'The remote refused the token',
    hint: 'The token is wrong, expired or revoked. Use "Replace token" on the Remotes page to store a new one.',
  },
  forbidden: {
    title: 'The token is not allowed to do this',
    hint: 'Ask an admin of the remote for the access it needs, then store the new token.',
  },
  network: {
    title: "Couldn't reach the remote",
    hint: 'Check the network, the URL and that the server is running, then try again.',
  },
  remote: {
    title: 'The remote failed or refused',
    hint: 'The remote answered with an error. Try again later, or check what it refused.',
  },
  credential: {
    title: "Couldn't store or read the token",
    hint: 'Check that the keyring is unlocked, or give the token again.',
  },
  busy: {
    title: 'A sync with this remote is already running',
    hint: 'Another window or a `segments` command is syncing with it. Wait for it to finish, then try again.',
  },
  cancelled: {
    title: 'Stopped',
    hint: 'You stopped it before it finished. Nothing was changed.',
  },
  population_missing: {
    title: "The population's file is gone",
    hint: 'It was moved or deleted since it was added. Put it back, or add the file again from where it is now.',
  },
  population_invalid: {
    title: "The file can't be read as users",
    hint: 'Use a CSV with a header row, NDJSON (one JSON object per line) or Parquet; the message says which line is wrong.',
  },
  population_changed: {
    title: "The population's file changed",
    hint: 'It was rewritten since it was read. Remove the population and add the file again to count the new users.',
  },
  warehouse_not_configured: {
    title: 'No warehouse is set up',
    hint: 'Open the connection settings, give the PostgreSQL URL, the table and the password, and save.',
  },
  warehouse_bad_url: {
    title: "The warehouse URL isn't usable",
    hint: 'Write it as postgres://user@host:5432/database, without the password (the password has its own field).',
  },
  warehouse_unreachable: {
    title: "Couldn't reach the warehouse",
    hint: 'Check the host and port in the connection settings, that the server is running, and that your network or VPN lets you through.',
  },
  warehouse_tls: {
    title: "Couldn't set up a secure connection to the warehouse",
    hint: "Ask your data team for the server's certificate, or add ?sslmode=disable to the URL on a trusted network.",
  },
  warehouse_authentication: {
    title: 'The warehouse refused the login',
    hint: 'Type the right password in the connection settings and save it, or check the user name in the URL.',
  },
  warehouse_missing_database: {
    title: 'The warehouse has no such database',
    hint: 'Correct the database at the end of the URL (…/database).',
  },
  warehouse_missing_table: {
    title: 'The warehouse has no such table',
    hint: 'Correct the table in the connection settings (schema.table for one outside the default schema), or ask for read access to it.',
  },
  warehouse_schema_mismatch: {
    title: "The table's columns don't match",
    hint: 'A column the segment tests is missing or has another type. Check the attribute names against the table.',
  },
  warehouse_bad_input: {
    title: "The table name isn't usable",
    hint: 'Write it as table or schema.table in the connection settings.',
  },
  warehouse_timeout: {
    title: 'The count took too long',
    hint: 'The warehouse stopped it at its time limit and nothing was counted. Try again when it is less busy, or ask your data team for an index on the columns it tests.',
  },
  warehouse_query: {
    title: 'The warehouse failed the count',
    hint: "The server refused or failed the query. Its message is below; your data team can tell what it means for this table.",
  },
  internal: {
    title: 'Something went wrong',
    hint: 'Please try again. If it keeps happening, contact support and mention the code below.',
  },
};

export function friendlyError(error: Pick<IpcError, 'code'>): FriendlyError {
  return BY_CODE[error.code] ?? BY_CODE.internal;
}
