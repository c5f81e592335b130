import type { RemoteInfo } from '../../lib/backend/bindings';

/** Where the remote's token is kept, in the backend's words; a file is worth noticing, so it stands out. */
export function CredentialNote({ remote }: { remote: Pick<RemoteInfo, 'credential' | 'credentialNote'> }) {
  return (
    <span className={`credential-note${remote.credential === 'file' ? ' is-file' : ''}`}>
      Its token is kept {remote.credentialNote}.
    </span>
  );
}
